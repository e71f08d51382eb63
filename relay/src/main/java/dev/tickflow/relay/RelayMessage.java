package dev.tickflow.relay;

/** One message on the relay: a topic such as {@code BINANCE:XRP/ETH|ohlc:1m}, and an Avro single-object payload. */
public record RelayMessage(String topic, byte[] payload) {}
