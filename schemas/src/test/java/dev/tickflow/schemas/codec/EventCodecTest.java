package dev.tickflow.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.Trade;
import dev.tickflow.schemas.flink.EventDeserializationSchema;
import dev.tickflow.schemas.flink.EventSerializationSchema;
import dev.tickflow.schemas.kafka.EventDeserializer;
import dev.tickflow.schemas.kafka.EventSerializer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

  static Stream<Class<? extends SpecificRecord>> eventTypes() {
    return EventTypes.ALL.stream();
  }

  /** Records written before the codec had its own buffered encoder, and other Avro readers, see the same bytes. */
  @ParameterizedTest
  @MethodSource("eventTypes")
  <T extends SpecificRecord> void encodesExactlyWhatAvrosMessageEncoderWrites(Class<T> type) throws Exception {
    EventCodec<T> codec = EventTypes.codec(type);
    BinaryMessageEncoder<T> avro = new BinaryMessageEncoder<>(SpecificData.getForClass(type), codec.schema());
    for (int seed = 0; seed < 20; seed++) {
      T event = SampleEvents.sample(type, seed);
      ByteBuffer expected = avro.encode(event);
      byte[] want = new byte[expected.remaining()];
      expected.get(want);
      assertThat(codec.encode(event)).as("%s seed %d", type.getSimpleName(), seed).isEqualTo(want);
    }
  }

  @Test
  void threadsEncodingAtOnceGetEachTheirOwnBytes() throws Exception {
    EventCodec<Trade> codec = EventTypes.codec(Trade.class);
    List<Trade> trades = IntStream.range(0, 200).mapToObj(i -> SampleEvents.sample(Trade.class, i)).toList();
    List<byte[]> expected = trades.stream().map(codec::encode).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> {
          for (int round = 0; round < 50; round++) {
            for (int i = 0; i < trades.size(); i++) {
              if (!Arrays.equals(codec.encode(trades.get(i)), expected.get(i))) {
                return false;
              }
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> run : runs) {
        assertThat(run.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  <T extends SpecificRecord> void roundTripsThroughCodecKafkaAndFlink(Class<T> type) throws Exception {
    T event = SampleEvents.sample(type, 3);
    EventCodec<T> codec = EventTypes.codec(type);

    byte[] bytes = codec.encode(event);
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(codec.decode(bytes)).isEqualTo(event);
    assertThat(EventTypes.decodeAny(bytes)).isEqualTo(event);

    try (EventSerializer<T> ser = new EventSerializer<>(type);
        EventDeserializer<T> de = new EventDeserializer<>(type)) {
      assertThat(de.deserialize("t", ser.serialize("t", event))).isEqualTo(event);
    }
    try (EventSerializer<T> ser = new EventSerializer<>();
        EventDeserializer<T> de = new EventDeserializer<>()) {
      Map<String, Object> config = Map.of(EventDeserializer.EVENT_TYPE_CONFIG, type.getName());
      ser.configure(config, false);
      de.configure(config, false);
      assertThat(de.deserialize("t", ser.serialize("t", event))).isEqualTo(event);
    }

    EventSerializationSchema<T> fser = new EventSerializationSchema<>(type);
    EventDeserializationSchema<T> fde = new EventDeserializationSchema<>(type);
    assertThat(fde.deserialize(fser.serialize(event))).isEqualTo(event);
    assertThat(fde.getProducedType().getTypeClass()).isEqualTo(type);
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  <T extends SpecificRecord> void refusesBadPayloadsWithTheReason(Class<T> type) {
    EventCodec<T> codec = EventTypes.codec(type);
    byte[] good = codec.encode(SampleEvents.sample(type, 1));

    assertKind(codec, new byte[0], PayloadException.Kind.EMPTY_PAYLOAD);
    assertKind(codec, null, PayloadException.Kind.EMPTY_PAYLOAD);
    assertKind(codec, "{\"price\":\"1\"}".getBytes(), PayloadException.Kind.NOT_SINGLE_OBJECT);

    byte[] unknown = good.clone();
    unknown[5] ^= 0x5A;
    assertKind(codec, unknown, PayloadException.Kind.UNKNOWN_SCHEMA);

    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    assertKind(codec, truncated, PayloadException.Kind.CORRUPT_PAYLOAD);

    byte[] trailing = Arrays.copyOf(good, good.length + 3);
    assertKind(codec, trailing, PayloadException.Kind.CORRUPT_PAYLOAD);

    assertThatThrownBy(() -> new EventDeserializer<>(type).deserialize("t", truncated))
        .isInstanceOf(PayloadException.class);
  }

  @Test
  void saysWhichTypeAPayloadIsWhenItIsTheWrongOne() {
    byte[] candle = EventTypes.codec(Candle.class).encode(SampleEvents.sample(Candle.class, 1));
    assertThatThrownBy(() -> EventTypes.codec(Trade.class).decode(candle))
        .isInstanceOfSatisfying(PayloadException.class,
            e -> assertThat(e.kind()).isEqualTo(PayloadException.Kind.WRONG_TYPE))
        .hasMessageContaining("Candle").hasMessageContaining("Trade");
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  <T extends SpecificRecord> void randomCorruptionNeverEscapesAsAnythingButAPayloadException(Class<T> type) {
    EventCodec<T> codec = EventTypes.codec(type);
    byte[] good = codec.encode(SampleEvents.sample(type, 2));
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 2_000; i++) {
      byte[] bad = good.clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        // Flip only body bytes: header damage is covered above, and body damage is what sneaks through.
        bad[10 + random.nextInt(bad.length - 10)] ^= (byte) (1 + random.nextInt(255));
      }
      try {
        codec.decode(bad);
      } catch (PayloadException e) {
        assertThat(e.kind()).isIn(PayloadException.Kind.CORRUPT_PAYLOAD);
      }
    }
  }

  private static void assertKind(EventCodec<?> codec, byte[] payload, PayloadException.Kind kind) {
    assertThatThrownBy(() -> codec.decode(payload))
        .isInstanceOfSatisfying(PayloadException.class, e -> assertThat(e.kind()).isEqualTo(kind))
        .hasMessageNotContaining("null");
  }
}
