package dev.tickflow.schemas.codec;

import dev.tickflow.schemas.event.AdvisorDecision;
import dev.tickflow.schemas.event.AuditEvent;
import dev.tickflow.schemas.event.CalibrationModel;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.DetectorConfigChange;
import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.event.Fill;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.FeedHeartbeat;
import dev.tickflow.schemas.event.HistoryFetched;
import dev.tickflow.schemas.event.HistoryReadyNotification;
import dev.tickflow.schemas.event.HistoryRequest;
import dev.tickflow.schemas.event.MetricsSnapshot;
import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.RiskControl;
import dev.tickflow.schemas.event.RiskVerdict;
import dev.tickflow.schemas.event.Signal;
import dev.tickflow.schemas.event.SignalOutcome;
import dev.tickflow.schemas.event.Trade;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The registry of every event type on the bus, with its codec and its last released schema.
 *
 * <p>Released schemas live in {@code dev/tickflow/schemas/released/<Type>.avsc}; codecs read payloads written
 * with them, and {@code SchemaCompatibilityTest} keeps the current schemas compatible with them both ways.
 */
public final class EventTypes {

  /** Every event type, in pipeline order. */
  public static final List<Class<? extends SpecificRecord>> ALL = List.of(
      RawTrade.class, Trade.class, Quote.class, Candle.class, PatternAlert.class, Signal.class,
      AdvisorDecision.class, ExecutionIntent.class, RiskVerdict.class, Fill.class, SignalOutcome.class,
      MetricsSnapshot.class, HistoryRequest.class, HistoryReadyNotification.class, DeadLetter.class,
      FeedGap.class, HistoryFetched.class, FeedHeartbeat.class, DetectorConfigChange.class, RiskControl.class,
      AuditEvent.class, CalibrationModel.class);

  private static final String RELEASED = "/dev/tickflow/schemas/released/";

  private static final Map<Class<?>, EventCodec<?>> CODECS = new LinkedHashMap<>();
  private static final Map<Long, EventCodec<?>> BY_FINGERPRINT = new LinkedHashMap<>();

  static {
    for (Class<? extends SpecificRecord> type : ALL) {
      register(type);
    }
  }

  private EventTypes() {}

  private static <T extends SpecificRecord> void register(Class<T> type) {
    Schema current = SpecificData.get().getSchema(type);
    List<Schema> older = new ArrayList<>();
    released(type).ifPresent(older::add);
    EventCodec<T> codec = new EventCodec<>(type, current, older);
    CODECS.put(type, codec);
    BY_FINGERPRINT.put(codec.fingerprint(), codec);
    for (Schema s : older) {
      BY_FINGERPRINT.putIfAbsent(SchemaNormalization.parsingFingerprint64(s), codec);
    }
  }

  /** The codec of one event type. */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> EventCodec<T> codec(Class<T> type) {
    EventCodec<T> codec = (EventCodec<T>) CODECS.get(type);
    if (codec == null) {
      throw new IllegalArgumentException(type.getName() + " is not a tickflow event type");
    }
    return codec;
  }

  /** Decodes a payload of any tickflow event type, telling the type by the header's fingerprint. */
  public static SpecificRecord decodeAny(byte[] payload) {
    long fp = SingleObjectHeader.fingerprint(payload);
    EventCodec<?> codec = BY_FINGERPRINT.get(fp);
    if (codec == null) {
      throw new PayloadException(PayloadException.Kind.UNKNOWN_SCHEMA,
          "schema fingerprint " + SingleObjectHeader.hex(fp) + " is not a tickflow event");
    }
    return codec.decode(payload);
  }

  /** The last released schema of a type, if one was released. */
  public static Optional<Schema> released(Class<? extends SpecificRecord> type) {
    try (InputStream in = EventTypes.class.getResourceAsStream(RELEASED + type.getSimpleName() + ".avsc")) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(new Schema.Parser().parse(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read released schema of " + type.getSimpleName(), e);
    }
  }

  /** Simple name of the event type whose (current or released) schema has this fingerprint, or null. */
  static String typeNameOf(long fingerprint) {
    EventCodec<?> codec = BY_FINGERPRINT.get(fingerprint);
    return codec == null ? null : codec.type().getSimpleName();
  }
}
