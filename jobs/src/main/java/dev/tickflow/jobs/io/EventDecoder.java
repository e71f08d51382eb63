package dev.tickflow.jobs.io;

import dev.tickflow.schemas.codec.EventCodec;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.codec.PayloadException;
import dev.tickflow.schemas.flink.FlinkTypes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes the Avro events of a tickflow topic; a record that is not one goes to the dead letters with the codec's
 * reason, and the stream goes on.
 */
public final class EventDecoder<T extends SpecificRecord> extends ProcessFunction<SourceRecord, T>
    implements ResultTypeQueryable<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private final String stage;
  private transient EventCodec<T> codec;

  public EventDecoder(Class<T> type, String stage) {
    this.type = type;
    this.stage = stage;
  }

  @Override
  public void open(OpenContext openContext) {
    codec = EventTypes.codec(type);
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return FlinkTypes.of(type);
  }

  @Override
  public void processElement(SourceRecord record, Context ctx, Collector<T> out) {
    try {
      out.collect(codec.decode(record.value));
    } catch (PayloadException e) {
      ctx.output(DeadLetters.TAG, DeadLetters.of(record, e.kind().name(), e.getMessage(), stage));
    }
  }
}
