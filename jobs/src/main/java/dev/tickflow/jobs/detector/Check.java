package dev.tickflow.jobs.detector;

import java.util.Map;

/** One rule's verdict on one bar: whether it fired, the values it looked at, and why in words. */
record Check(boolean fired, Map<String, String> inputs, String detail) {}
