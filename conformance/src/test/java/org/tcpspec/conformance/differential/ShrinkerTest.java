package org.tcpspec.conformance.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShrinkerTest {

  @Test
  void keepsOnlyTheStepsTheFailureNeeds() {
    List<Integer> steps = IntStream.rangeClosed(1, 10).boxed().toList();
    List<Integer> shrunk = Shrinker.shrink(steps, l -> l.contains(3) && l.contains(7), () -> true);
    assertEquals(List.of(3, 7), shrunk);
  }

  @Test
  void stopsWhenTimeIsUpWithAListThatStillFails() {
    List<List<Integer>> tried = new ArrayList<>();
    List<Integer> steps = IntStream.rangeClosed(1, 8).boxed().toList();
    List<Integer> shrunk = Shrinker.shrink(steps, l -> {
      tried.add(l);
      return l.contains(2);
    }, () -> tried.size() < 1);
    assertEquals(List.of(1, 2, 3, 4), shrunk);
    assertEquals(1, tried.size());
  }
}
