package org.tcpspec.app;

import java.util.List;
import java.util.Optional;

/**
 * What {@link HttpClient} received: the status line, the header fields and how many body bytes
 * went to the caller's sink.
 *
 * @param willClose whether the server closes the connection after this response
 */
public record HttpResponse(
    int status, String reason, List<HttpField> fields, long bodyLength, boolean willClose) {

  public HttpResponse {
    fields = List.copyOf(fields);
  }

  public Optional<String> field(String name) {
    return fields.stream()
        .filter(f -> f.name().equalsIgnoreCase(name))
        .map(HttpField::value)
        .findFirst();
  }
}
