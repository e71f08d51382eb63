package dev.tickflow.deploy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tickflow catalog}: the Iceberg tables, the REST catalog server and table maintenance. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
    description = "The Iceberg catalog: create or migrate the tables, serve them over the Iceberg REST protocol, "
        + "keep them healthy.",
    subcommands = {CatalogInitCommand.class, CatalogServeCommand.class, CatalogMaintainCommand.class})
public final class CatalogCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: init, serve, maintain");
  }
}
