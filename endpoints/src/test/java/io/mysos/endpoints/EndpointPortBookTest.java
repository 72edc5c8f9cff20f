package io.mysos.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mysos.core.resources.PortRange;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointPortBookTest {
    @TempDir
    Path dir;

    @Test
    void aClusterKeepsItsPortsWhenTheBookIsOpenedAgain() {
        var file = dir.resolve("endpoints.json");
        var book = EndpointPortBook.open(file, List.of(PortRange.parse("30000-30009")));
        var orders = book.allocate("orders", port -> true);
        var ledger = book.allocate("ledger", port -> true);
        assertEquals(new EndpointPortBook.Ports(30000, 30001), orders);
        assertEquals(new EndpointPortBook.Ports(30002, 30003), ledger);
        assertEquals(orders, book.allocate("orders", port -> true));

        var reopened = EndpointPortBook.open(file, List.of(PortRange.parse("30000-30009")));
        assertEquals(Optional.of(orders), reopened.get("orders"));
        assertEquals(Optional.of(ledger), reopened.get("ledger"));
    }

    @Test
    void portsInUseAreSkippedAndReleasedOnesGivenOutAgain() {
        var book = EndpointPortBook.open(dir.resolve("endpoints.json"), List.of(PortRange.parse("30000-30009")));
        assertEquals(new EndpointPortBook.Ports(30001, 30003), book.allocate("orders", port -> port != 30000 && port != 30002));
        book.release("orders");
        assertEquals(new EndpointPortBook.Ports(30000, 30001), book.allocate("ledger", port -> true));
        assertEquals(Optional.empty(), EndpointPortBook.open(dir.resolve("endpoints.json"), List.of()).get("orders"));
    }

    @Test
    void aFullRangeSaysSo() {
        var book = EndpointPortBook.open(dir.resolve("endpoints.json"), List.of(PortRange.parse("30000-30002")));
        book.allocate("orders", port -> true);
        var e = assertThrows(EndpointPortBook.NoFreePorts.class, () -> book.allocate("ledger", port -> true));
        assertEquals("no two free ports left for the endpoints of ledger in [30000-30002]; widen --endpoint-ports", e.getMessage());
    }
}
