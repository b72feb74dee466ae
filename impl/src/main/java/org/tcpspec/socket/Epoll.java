package org.tcpspec.socket;

import static org.tcpspec.abi.Symbol.EPOLLERR;
import static org.tcpspec.abi.Symbol.EPOLLET;
import static org.tcpspec.abi.Symbol.EPOLLEXCLUSIVE;
import static org.tcpspec.abi.Symbol.EPOLLHUP;
import static org.tcpspec.abi.Symbol.EPOLLIN;
import static org.tcpspec.abi.Symbol.EPOLLONESHOT;
import static org.tcpspec.abi.Symbol.EPOLLOUT;
import static org.tcpspec.abi.Symbol.EPOLLPRI;
import static org.tcpspec.abi.Symbol.EPOLLRDBAND;
import static org.tcpspec.abi.Symbol.EPOLLRDHUP;
import static org.tcpspec.abi.Symbol.EPOLLRDNORM;
import static org.tcpspec.abi.Symbol.EPOLLWAKEUP;
import static org.tcpspec.abi.Symbol.EPOLLWRBAND;
import static org.tcpspec.abi.Symbol.EPOLLWRNORM;
import static org.tcpspec.abi.Symbol.EPOLL_CTL_ADD;
import static org.tcpspec.abi.Symbol.EPOLL_CTL_DEL;
import static org.tcpspec.abi.Symbol.EPOLL_CTL_MOD;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tcpspec.abi.Errno;
import org.tcpspec.abi.SysResult;
import org.tcpspec.stack.Connection;

/**
 * One epoll instance (Linux fs/eventpoll.c) over {@link SocketApi} sockets: its interest list
 * (an item per fd: the events asked for, with EPOLLERR and EPOLLHUP always added by epoll_ctl,
 * and the user's epoll_data) and its ready list, in the order items became ready.
 *
 * <p>An item joins the ready list when epoll_ctl ADD or MOD finds it ready (ep_insert,
 * ep_modify) and when its socket is woken with a key it asks for (ep_poll_callback: a wake-up
 * without a key, or with one that meets the item's events, unless EPOLLONESHOT disabled it).
 * epoll_wait takes items off the list in order and asks each socket's poll now (ep_send_events):
 * an item whose poll meets its events is reported, then disabled under EPOLLONESHOT, put back at
 * the tail when level-triggered, dropped when edge-triggered (EPOLLET), so that an edge-triggered
 * item is reported again only after a new wake-up. EPOLLEXCLUSIVE changes which of several
 * waiters is woken, and a socket here has one waiter at most, so it only adds its epoll_ctl
 * checks.
 *
 * <p>The stack calls nobody back, so the wake-ups of a socket are counted where they happen and
 * compared at each epoll call with what the item saw last ({@link Wakeups}); every wake-up between
 * two epoll calls has the effect Linux's callback would have had, since an item already on the
 * ready list stays there once.
 */
final class Epoll {
  /** Linux EP_PRIVATE_BITS: flags of the item, not events a socket reports. */
  static final int PRIVATE_BITS = EPOLLWAKEUP.value() | EPOLLONESHOT.value() | EPOLLET.value() | EPOLLEXCLUSIVE.value();
  /** Linux EPOLLEXCLUSIVE_OK_BITS: what may go with EPOLLEXCLUSIVE. */
  private static final int EXCLUSIVE_OK_BITS = EPOLLIN.value() | EPOLLOUT.value() | EPOLLRDNORM.value()
      | EPOLLRDBAND.value() | EPOLLWRNORM.value() | EPOLLWRBAND.value() | EPOLLERR.value() | EPOLLHUP.value()
      | EPOLLWAKEUP.value() | EPOLLET.value() | EPOLLEXCLUSIVE.value();
  /** The key of sk_data_ready (sock_def_readable). */
  static final int DATA_READY_KEY = EPOLLIN.value() | EPOLLPRI.value() | EPOLLRDNORM.value() | EPOLLRDBAND.value();
  /** The key of sk_write_space (sk_stream_write_space). */
  static final int WRITE_SPACE_KEY = EPOLLOUT.value() | EPOLLWRNORM.value() | EPOLLWRBAND.value();
  /** The key of sk_error_report (sock_def_error_report). */
  static final int ERROR_KEY = EPOLLERR.value();

  /** One fd of the interest list (Linux struct epitem). */
  private static final class Item {
    final int fd;
    final Sock sock;
    int events;
    long data;
    boolean ready;
    Wakeups seen;

    Item(int fd, Sock sock) {
      this.fd = fd;
      this.sock = sock;
    }
  }

  /** The first event epoll_wait reports (what packetdrill compares) and how many it reported. */
  record Reported(int count, int events, long data) {}

  private final Map<Integer, Item> items = new LinkedHashMap<>();
  private final ArrayDeque<Item> readyList = new ArrayDeque<>();
  private final TcpPoll tcpPoll;

  Epoll(TcpPoll tcpPoll) {
    this.tcpPoll = tcpPoll;
  }

  /** epoll_ctl(op, fd, {events, data}) on socket {@code sock} (do_epoll_ctl's checks after the fds'). */
  SysResult<Void> ctl(int op, int fd, Sock sock, int events, long data) {
    boolean hasEvent = op == EPOLL_CTL_ADD.value() || op == EPOLL_CTL_MOD.value();
    if (!hasEvent && op != EPOLL_CTL_DEL.value()) return SysResult.error(Errno.EINVAL);
    if (hasEvent && (events & EPOLLEXCLUSIVE.value()) != 0) {
      if (op == EPOLL_CTL_MOD.value() || (events & ~EXCLUSIVE_OK_BITS) != 0) return SysResult.error(Errno.EINVAL);
    }
    // do_epoll_ctl: "We have to check that the file structure underneath the fd the user passed
    // us _is_ an eventpoll file", and EPOLLERR | EPOLLHUP are always reported.
    if (hasEvent) events |= EPOLLERR.value() | EPOLLHUP.value();
    absorbWakeups();
    Item item = items.get(fd);
    if (op == EPOLL_CTL_ADD.value()) {
      if (item != null) return SysResult.error(Errno.EEXIST);
      item = new Item(fd, sock);
      item.events = events;
      item.data = data;
      item.seen = Wakeups.of(sock);
      items.put(fd, item);
      if (poll(item) != 0) makeReady(item); // ep_insert
      return SysResult.ok(0);
    }
    if (item == null) return SysResult.error(Errno.ENOENT);
    if (op == EPOLL_CTL_DEL.value()) {
      remove(item);
      return SysResult.ok(0);
    }
    if ((item.events & EPOLLEXCLUSIVE.value()) != 0) return SysResult.error(Errno.EINVAL);
    item.events = events;
    item.data = data;
    if (poll(item) != 0) makeReady(item); // ep_modify
    return SysResult.ok(0);
  }

  /** epoll_wait(maxEvents) without waiting: the events ready now (ep_send_events); count 0 when none. */
  Reported take(int maxEvents) {
    absorbWakeups();
    int count = 0;
    int firstEvents = 0;
    long firstData = 0;
    int n = readyList.size();
    ArrayDeque<Item> again = new ArrayDeque<>();
    for (int i = 0; i < n && count < maxEvents; i++) {
      Item item = readyList.poll();
      item.ready = false;
      int revents = poll(item);
      if (revents == 0) continue;
      if (count == 0) {
        firstEvents = revents;
        firstData = item.data;
      }
      count++;
      if ((item.events & EPOLLONESHOT.value()) != 0) {
        item.events &= PRIVATE_BITS;
      } else if ((item.events & EPOLLET.value()) == 0) {
        again.add(item);
      }
    }
    for (Item item : again) makeReady(item);
    return new Reported(count, firstEvents, firstData);
  }

  /** The socket of {@code fd} was closed: Linux's eventpoll_release drops its item. */
  void closed(int fd) {
    Item item = items.get(fd);
    if (item != null) remove(item);
  }

  private void remove(Item item) {
    items.remove(item.fd);
    if (item.ready) readyList.remove(item);
  }

  private void makeReady(Item item) {
    if (item.ready) return;
    item.ready = true;
    readyList.add(item);
  }

  /**
   * ep_poll_callback for every wake-up since the last look: an enabled item woken with a key it
   * asks for, or with none, joins the ready list.
   */
  private void absorbWakeups() {
    for (Item item : items.values()) {
      Wakeups now = Wakeups.of(item.sock);
      int keys = now.keysSince(item.seen);
      item.seen = now;
      if (keys == 0) continue;
      int asked = item.events & ~PRIVATE_BITS;
      if (asked == 0) continue; // disabled by EPOLLONESHOT
      if ((keys & Wakeups.NO_KEY) != 0 || (keys & asked) != 0) makeReady(item);
    }
  }

  /** ep_item_poll: the socket's tcp_poll mask, with the RDNORM and WRNORM twins it sets, within the item's events. */
  private int poll(Item item) {
    int asked = item.events & ~PRIVATE_BITS;
    int mask = tcpPoll.revents(item.sock, asked | EPOLLRDHUP.value() | EPOLLPRI.value() | EPOLLIN.value() | EPOLLOUT.value());
    if ((mask & EPOLLIN.value()) != 0) mask |= EPOLLRDNORM.value();
    if ((mask & EPOLLOUT.value()) != 0) mask |= EPOLLWRNORM.value();
    return mask & asked;
  }

  /**
   * What has woken a socket so far, as counts that only grow or as values whose change is a
   * wake-up: sk_data_ready (the receive sequence moved: in-order data or a FIN was queued; a
   * child joined a listener's accept queue), sk_write_space (the connection's count), sk_state_change,
   * which has no key (the socket's state, shutdown bits, end of stream or error changed), and
   * sk_error_report (a MSG_ZEROCOPY completion, which __msg_zerocopy_callback reports even when it
   * extends the notification queued before it).
   */
  record Wakeups(long dataReady, int writeSpace, long state, int errors) {
    /** A bit outside every event: a wake-up without a key, which wakes every item. */
    static final int NO_KEY = 1 << 27;

    static Wakeups of(Sock s) {
      Connection c = s.conn;
      if (c == null) {
        long queued = s.listener == null ? 0 : s.listener.queuedSoFar();
        return new Wakeups(queued, 0, (s.deferredAddr == null ? 0 : 1) | (s.listener == null ? 0 : 2), 0);
      }
      long state = ((long) System.identityHashCode(c) << 32) | (long) c.state().ordinal() << 8
          | (c.peerFinished() ? 1 : 0) | (s.shutRd ? 2 : 0) | (s.shutWr ? 4 : 0) | (c.error().isPresent() ? 8 : 0)
          | (c.established() ? 16 : 0);
      return new Wakeups(c.tcb().rcvNxt, c.writeSpaceWakeups(), state, s.zerocopyDone.completions(c.tcb().sndUna));
    }

    /** The keys of the wake-ups between {@code before} and this. */
    int keysSince(Wakeups before) {
      int keys = 0;
      if (dataReady != before.dataReady) keys |= DATA_READY_KEY;
      if (writeSpace != before.writeSpace) keys |= WRITE_SPACE_KEY;
      if (errors != before.errors) keys |= ERROR_KEY;
      if (state != before.state) keys |= NO_KEY;
      return keys;
    }
  }
}
