package org.tcpspec.app;

/** One HTTP header field as received; names compare case-insensitively (RFC 9110 §5.1). */
public record HttpField(String name, String value) {}
