package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CreateRequestTest {
    private static CreateRequest parse(Map<String, ?> fields) {
        return CreateRequest.parse("orders", fields);
    }

    private static String rejection(Map<String, ?> fields) {
        return assertThrows(InvalidInputException.class, () -> parse(fields)).getMessage();
    }

    private static Map<String, Object> withSize(Map<String, ?> size) {
        return Map.of("cluster_user", "app", "size", size);
    }

    @Test
    void fillsDefaultsForAnythingButTheUser() {
        var request = parse(Map.of("cluster_user", "app"));
        var spec = request.spec();
        assertEquals("orders", spec.name());
        assertEquals("app", spec.user());
        assertEquals(1, spec.numNodes());
        assertEquals(new Resources(1, DataSize.parse("512mb"), DataSize.parse("2gb")), spec.size());
        assertEquals(Optional.empty(), spec.backupId());
        assertEquals(Optional.empty(), request.password());
    }

    @Test
    void acceptsTheFormOriginalMysosClientsSend() {
        // mysos_test_client: cluster_user=mysos, and size, backup_id and cluster_password sent empty.
        var request = parse(Map.of("cluster_user", "mysos", "num_nodes", "3", "size", "", "backup_id", "", "cluster_password", ""));
        assertEquals("mysos", request.spec().user());
        assertEquals(3, request.spec().numNodes());
        assertEquals(Resources.DEFAULT_INSTANCE, request.spec().size());
        assertEquals(Optional.empty(), request.spec().backupId());
        assertEquals(Optional.empty(), request.password());
    }

    @Test
    void parsesEveryField() {
        var request = parse(Map.of(
                "cluster_user", "app",
                "num_nodes", "3",
                "size", Map.of("cpus", 2.5, "mem", "4gb", "disk", "100gb"),
                "cluster_password", "s3cret-pass!",
                "backup_id", "orders/20240101-0300"));
        assertEquals(new ClusterSpec("orders", "app", 3, new Resources(2.5, DataSize.parse("4gb"), DataSize.parse("100gb")),
                Optional.of("orders/20240101-0300"), true), request.spec());
        assertEquals(Optional.of("s3cret-pass!"), request.password());
    }

    @Test
    void requiresTheClusterUser() {
        assertEquals("cluster_user is required", rejection(Map.of()));
        assertEquals("cluster_user is required", rejection(Map.of("cluster_user", "")));
        assertEquals("cluster_user is required", rejection(Map.of("num_nodes", "3")));
    }

    @Test
    void rejectsAReservedUser() {
        assertEquals("cluster_user 'root' is reserved; choose another name", rejection(Map.of("cluster_user", "root")));
    }

    @Test
    void validatesTheClusterName() {
        var e = assertThrows(InvalidInputException.class, () -> CreateRequest.parse("Orders!", Map.of("cluster_user", "app")));
        assertTrue(e.getMessage().startsWith("invalid cluster name 'Orders!'"), e.getMessage());
    }

    @Test
    void parsesTheNodeCountFromTextOrNumber() {
        assertEquals(3, parse(Map.of("cluster_user", "app", "num_nodes", " 3 ")).spec().numNodes());
        assertEquals(5, parse(Map.of("cluster_user", "app", "num_nodes", 5)).spec().numNodes());
        assertEquals(100, parse(Map.of("cluster_user", "app", "num_nodes", "100")).spec().numNodes());
    }

    @Test
    void rejectsZeroNodes() {
        assertEquals("num_nodes must be between 1 and 100, not 0", rejection(Map.of("cluster_user", "app", "num_nodes", "0")));
    }

    @Test
    void rejectsMoreThanAHundredNodes() {
        assertEquals("num_nodes must be between 1 and 100, not 101", rejection(Map.of("cluster_user", "app", "num_nodes", "101")));
        assertEquals("num_nodes must be a whole number between 1 and 100, not '-1'", rejection(Map.of("cluster_user", "app", "num_nodes", "-1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"three", "1.5", "", "3 nodes", "99999999999", "1e2", "+3", "-0", "0x3", "\uff13", "\u0663", "3\u00a0"})
    void rejectsANodeCountThatIsNotAWholeNumber(String numNodes) {
        assertEquals("num_nodes must be a whole number between 1 and 100, not '" + numNodes + "'",
                rejection(Map.of("cluster_user", "app", "num_nodes", numNodes)));
    }

    @Test
    void rejectsAListWhereOneValueBelongs() {
        assertEquals("num_nodes must be a single value", rejection(Map.of("cluster_user", "app", "num_nodes", List.of("1", "2"))));
        assertEquals("cluster_user must be a single value", rejection(Map.of("cluster_user", List.of("a", "b"))));
    }

    @Test
    void takesMissingSizeKeysFromTheDefault() {
        assertEquals(new Resources(1, DataSize.parse("1gb"), DataSize.parse("2gb")),
                parse(withSize(Map.of("mem", "1gb"))).spec().size());
        assertEquals(new Resources(4, DataSize.parse("512mb"), DataSize.parse("2gb")),
                parse(withSize(Map.of("cpus", 4))).spec().size());
        assertEquals(Resources.DEFAULT_INSTANCE, parse(withSize(Map.of())).spec().size());
    }

    @Test
    void parsesCpusGivenAsText() {
        assertEquals(0.5, parse(withSize(Map.of("cpus", " 0.5 "))).spec().size().cpus());
    }

    @Test
    void parsesMemAndDiskWithUnits() {
        var size = parse(withSize(Map.of("mem", "1.5GB", "disk", " 20 gb "))).spec().size();
        assertEquals(DataSize.parse("1.5gb"), size.mem());
        assertEquals(DataSize.ofGigabytes(20), size.disk());
    }

    @Test
    void treatsABlankSizeAsTheDefault() {
        assertEquals(Resources.DEFAULT_INSTANCE, parse(Map.of("cluster_user", "app", "size", "  ")).spec().size());
    }

    @Test
    void rejectsASizeThatIsNotAnObject() {
        assertEquals("size must be a JSON object like {\"cpus\":1.0,\"mem\":\"512mb\",\"disk\":\"2gb\"}",
                rejection(Map.of("cluster_user", "app", "size", "1gb")));
        assertEquals(CreateRequest.SIZE_FORM, rejection(Map.of("cluster_user", "app", "size", List.of("1gb"))));
    }

    @Test
    void rejectsAnUnknownSizeKey() {
        assertEquals("size has an unknown key 'memory'; use cpus, mem and disk", rejection(withSize(Map.of("memory", "1gb"))));
        assertEquals("size has an unknown key 'CPUS'; use cpus, mem and disk", rejection(withSize(Map.of("CPUS", 1))));
    }

    @Test
    void refusesJsonValuesOfTheWrongTypeInsteadOfConvertingThem() {
        assertEquals("cluster_user must be a string, not true", rejection(Map.of("cluster_user", true)));
        assertEquals("cluster_user must be a string, not a number", rejection(Map.of("cluster_user", 42)));
        assertEquals("cluster_user must be a single value", rejection(Map.of("cluster_user", Map.of("a", "b"))));
        assertEquals("backup_id must be a string, not false", rejection(Map.of("cluster_user", "app", "backup_id", false)));
        assertEquals("cluster_password must be a string, not a number",
                rejection(Map.of("cluster_user", "app", "cluster_password", 12345678)));
        assertEquals("num_nodes must be a whole number between 1 and 100, not true",
                rejection(Map.of("cluster_user", "app", "num_nodes", true)));
        assertEquals("num_nodes must be a whole number between 1 and 100, not 3.0",
                rejection(Map.of("cluster_user", "app", "num_nodes", 3.0)));
        assertEquals("num_nodes must be between 1 and 100, not 2147483647",
                rejection(Map.of("cluster_user", "app", "num_nodes", 99999999999L)));
        assertEquals("semi_sync must be true or false, not 2",
                rejection(Map.of("cluster_user", "app", "num_nodes", "3", "semi_sync", 2)));
        assertEquals("size.mem must be text like 512mb, not 512", rejection(withSize(Map.of("mem", 512))));
        assertEquals("size.cpus must be a number above 0 and at most 1024, not true", rejection(withSize(Map.of("cpus", true))));
    }

    @Test
    void quotesAtMostEightyCharactersOfAnyInput() {
        var huge = "x".repeat(100_000);
        for (var fields : List.<Map<String, ?>>of(Map.of("cluster_user", huge), Map.of("cluster_user", "app", "num_nodes", huge),
                withSize(Map.of("cpus", huge)), withSize(Map.of("mem", huge)), withSize(Map.of(huge, 1)),
                Map.of("cluster_user", "app", "semi_sync", huge))) {
            var message = rejection(fields);
            assertTrue(message.length() < 250, message);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "-1", "0", "Infinity", "abc", "", "+1", "1e0", "0x1p3", "1d", "\uff11", "1.", ".5"})
    void rejectsCpusThatAreNotAPositiveNumber(String cpus) {
        var message = rejection(withSize(Map.of("cpus", cpus)));
        assertTrue(message.startsWith("size.cpus must be a number above 0"), message);
        assertTrue(message.endsWith(", not '" + cpus + "'"), message);
    }

    @Test
    void rejectsCpusThatAreNumbersButNotPositive() {
        assertTrue(rejection(withSize(Map.of("cpus", Double.NaN))).startsWith("size.cpus must be a number above 0"));
        assertTrue(rejection(withSize(Map.of("cpus", -2))).startsWith("size.cpus must be a number above 0"));
        assertTrue(rejection(withSize(Map.of("cpus", 0.0))).startsWith("size.cpus must be a number above 0"));
    }

    @Test
    void rejectsMoreCpusThanAnyMachineHasAndSaysTheLimit() {
        var message = rejection(withSize(Map.of("cpus", 2000)));
        assertEquals("size.cpus must be a number above 0 and at most 1024, not 2000", message);
        assertEquals(1024.0, parse(withSize(Map.of("cpus", 1024))).spec().size().cpus());
    }

    @Test
    void rejectsCpusGivenAsNull() {
        var size = new HashMap<String, Object>();
        size.put("cpus", null);
        assertTrue(rejection(withSize(size)).startsWith("size.cpus must be a number above 0"));
    }

    @Test
    void namesTheFieldOfABadMemSize() {
        assertEquals("size.mem: '12xb' is not a data size; use a number with b, kb, mb, gb or tb, e.g. 512mb",
                rejection(withSize(Map.of("mem", "12xb"))));
    }

    @Test
    void namesTheFieldOfABadDiskSize() {
        assertEquals("size.disk: '-1mb' is not a data size; use a number with b, kb, mb, gb or tb, e.g. 512mb",
                rejection(withSize(Map.of("disk", "-1mb"))));
        assertEquals("size.disk: '99999999999tb' is too large", rejection(withSize(Map.of("disk", "99999999999tb"))));
    }

    @Test
    void rejectsSizesNoMysqldCanRunIn() {
        var message = rejection(withSize(Map.of("cpus", 1e-300, "mem", "1b", "disk", "1b")));
        assertTrue(message.startsWith("size {cpus 0, mem 1b, disk 1b} is too small for a MySQL instance: cpus must be at least 0.1"),
                message);
        assertTrue(rejection(withSize(Map.of("mem", "100mb"))).endsWith("mem must be at least 256mb"));
    }

    @Test
    void rejectsAZeroMemSize() {
        assertEquals("size needs cpus, mem and disk above zero, not {cpus 1, mem 0b, disk 2gb}",
                rejection(withSize(Map.of("mem", "0mb"))));
    }

    @Test
    void treatsAnEmptyPasswordAsNoneChosen() {
        assertEquals(Optional.empty(), parse(Map.of("cluster_user", "app", "cluster_password", "")).password());
    }

    @Test
    void validatesAChosenPasswordWithoutEchoingIt() {
        var tooShort = rejection(Map.of("cluster_user", "app", "cluster_password", "short"));
        assertEquals("cluster_password must have 8 to 128 characters", tooShort);
        var quoted = rejection(Map.of("cluster_user", "app", "cluster_password", "it's-a-secret"));
        assertEquals("cluster_password may not contain quotes, backquotes or backslashes", quoted);
    }

    @Test
    void treatsABlankBackupIdAsNone() {
        assertEquals(Optional.empty(), parse(Map.of("cluster_user", "app", "backup_id", " ")).spec().backupId());
    }

    @Test
    void takesRestoreToAsATimeOrAGtidPositionOnlyWithABackupId() {
        var toTime = parse(Map.of("cluster_user", "app", "backup_id", "orders/1", "restore_to", "2026-12-01T08:30:00+01:00"));
        assertEquals(Optional.of("2026-12-01T07:30:00Z"), toTime.spec().restoreTo(), "kept as UTC");
        var toPosition = parse(Map.of("cluster_user", "app", "backup_id", "orders/1", "restore_to", "0-1-100"));
        assertEquals(Optional.of("0-1-100"), toPosition.spec().restoreTo());
        assertEquals("restore_to needs backup_id: the backup to roll forward from",
                rejection(Map.of("cluster_user", "app", "restore_to", "0-1-100")));
        assertTrue(rejection(Map.of("cluster_user", "app", "backup_id", "orders/1", "restore_to", "soon")).startsWith(
                "restore_to must be an RFC 3339 time"));
        assertEquals(Optional.empty(), parse(Map.of("cluster_user", "app", "backup_id", "orders/1", "restore_to", " ")).spec().restoreTo());
    }

    @Test
    void neverPrintsThePassword() {
        var request = parse(Map.of("cluster_user", "app", "cluster_password", "Hunter2-very-secret"));
        assertFalse(request.toString().contains("Hunter2-very-secret"), request.toString());
        assertTrue(request.toString().contains("orders"), request.toString());
    }

    @Test
    void semiSyncIsOnByDefaultForClustersWithReplicas() {
        assertEquals(false, CreateRequest.parse("solo", java.util.Map.of("cluster_user", "app")).spec().semiSync());
        assertEquals(true, CreateRequest.parse("trio", java.util.Map.of("cluster_user", "app", "num_nodes", "3")).spec().semiSync());
        assertEquals(false, CreateRequest.parse("trio", java.util.Map.of("cluster_user", "app", "num_nodes", "3",
                "semi_sync", "false")).spec().semiSync());
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.mysos.core.InvalidInputException.class,
                () -> CreateRequest.parse("trio", java.util.Map.of("cluster_user", "app", "semi_sync", "maybe")));
        assertEquals("semi_sync must be true or false, not 'maybe'", e.getMessage());
        assertEquals(true, CreateRequest.parse("trio", java.util.Map.of("cluster_user", "app", "num_nodes", 3,
                "semi_sync", true)).spec().semiSync());
        var single = org.junit.jupiter.api.Assertions.assertThrows(io.mysos.core.InvalidInputException.class,
                () -> CreateRequest.parse("solo", java.util.Map.of("cluster_user", "app", "semi_sync", "true")));
        org.junit.jupiter.api.Assertions.assertTrue(single.getMessage().startsWith("semi_sync needs num_nodes of 2 or more"));
    }
}
