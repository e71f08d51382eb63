package dev.tickflow.relay.cli;

import dev.tickflow.relay.security.CurveKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickflow relay keygen FILE}: a new CURVE key pair for the relay or for one of its clients. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = {"Write a new CURVE key pair (Z85) to FILE, readable by you only, and print its public key.",
        "For the relay: pass the file to tickflow relay --curve-keys and give clients the public key. For a "
            + "client: add its public key to the relay's --curve-allow file."})
public final class RelayKeygenCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "Where to write the key pair.")
  Path file;

  @Option(names = "--force", description = "Overwrite FILE if it exists.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(file) && !force) {
      throw new ParameterException(spec.commandLine(), file + " exists; add --force to replace its keys");
    }
    CurveKeyPair pair = CurveKeyPair.generate();
    pair.save(file);
    spec.commandLine().getOut().println(pair.publicKey());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
