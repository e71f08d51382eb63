package dev.tickflow.jobs.io;

import dev.tickflow.relay.RelayPublisher;
import dev.tickflow.relay.security.CurveClientKeys;
import dev.tickflow.schemas.codec.EventCodec;
import dev.tickflow.schemas.codec.EventTypes;
import java.io.Serializable;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

/**
 * Publishes events to the relay's ingress: each parallel writer connects its own socket to the well-known
 * endpoint, so no discovery is needed. At most once by design: the relay is a live fan-out, Kafka and Iceberg
 * are the records. Publishing never blocks; drops are counted in the {@code relayDropped} metric.
 */
public final class RelaySink<T extends SpecificRecord> implements Sink<T> {

  private static final long serialVersionUID = 1L;

  /** Relay topic of an event, e.g. {@code BINANCE:XRP/ETH|ohlc:1m}. Must be serializable. */
  public interface TopicOf<T> extends Function<T, String>, Serializable {}

  private final String ingressEndpoint;
  private final Class<T> type;
  private final TopicOf<T> topicOf;
  private final CurveClientKeys curve;

  public RelaySink(String ingressEndpoint, Class<T> type, TopicOf<T> topicOf) {
    this(ingressEndpoint, null, type, topicOf);
  }

  /** @param curve keys for a relay with CURVE on, read where each writer opens its socket; null: plain */
  public RelaySink(String ingressEndpoint, CurveClientKeys curve, Class<T> type, TopicOf<T> topicOf) {
    this.ingressEndpoint = ingressEndpoint;
    this.curve = curve;
    this.type = type;
    this.topicOf = topicOf;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    Counter published = context.metricGroup().counter("relayPublished");
    Counter dropped = context.metricGroup().counter("relayDropped");
    EventCodec<T> codec = EventTypes.codec(type);
    RelayPublisher publisher = new RelayPublisher(ingressEndpoint, 10_000, curve == null ? null : curve.load());
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context ctx) {
        if (publisher.publish(topicOf.apply(element), codec.encode(element))) {
          published.inc();
        } else {
          dropped.inc();
        }
      }

      @Override
      public void flush(boolean endOfInput) {
        // nothing is buffered here: ZeroMQ owns the queue
      }

      @Override
      public void close() {
        publisher.close();
      }
    };
  }
}
