package io.mysos.actors.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The leader among the znodes Mesos masters register, and its address from their MasterInfo JSON. */
class LeadingMasterTest {
    /** What a Mesos 1.x master writes into its {@code json.info_} znode. */
    private static byte[] masterInfo(String ip, int port) {
        return ("{\"address\":{\"hostname\":\"m1.example.com\",\"ip\":\"" + ip + "\",\"port\":" + port + "},"
                + "\"hostname\":\"m1.example.com\",\"id\":\"a1b2-" + port + "\",\"ip\":16777343,"
                + "\"pid\":\"master@" + ip + ":" + port + "\",\"port\":" + port + ",\"version\":\"1.2.3\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theLowestSequenceNumberLeadsWhateverTheOrder() {
        assertEquals(Optional.of("json.info_0000000002"),
                LeadingMaster.leaderNode(List.of("json.info_0000000010", "json.info_0000000002", "json.info_0000000003")));
    }

    @Test
    void comparesSequenceNumbersAsNumbersNotText() {
        assertEquals(Optional.of("json.info_9"), LeadingMaster.leaderNode(List.of("json.info_10", "json.info_9")));
    }

    @Test
    void ignoresOtherChildrenSuchAsProtobufInfoNodesAndLogReplicas() {
        assertEquals(Optional.of("json.info_0000000005"),
                LeadingMaster.leaderNode(List.of("info_0000000001", "log_replicas", "json.info_0000000005", "json.info_x")));
    }

    @Test
    void noMasterNodeMeansNoLeader() {
        assertEquals(Optional.empty(), LeadingMaster.leaderNode(List.of()));
        assertEquals(Optional.empty(), LeadingMaster.leaderNode(List.of("info_0000000001", "log_replicas")));
    }

    @Test
    void theAddressIsTheMastersIpAndPort() {
        assertEquals(Optional.of("10.0.0.5:5050"), LeadingMaster.address(masterInfo("10.0.0.5", 5050)));
    }

    @Test
    void fallsBackToTheHostnameThenToThePid() {
        assertEquals(Optional.of("m2:5051"), LeadingMaster.address(
                "{\"address\":{\"hostname\":\"m2\",\"port\":5051}}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.of("m3:5052"), LeadingMaster.address(
                "{\"hostname\":\"m3\",\"port\":5052}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.of("10.1.1.1:5053"), LeadingMaster.address(
                "{\"pid\":\"master@10.1.1.1:5053\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void unreadableMasterInfoGivesNoAddress() {
        assertEquals(Optional.empty(), LeadingMaster.address("not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), LeadingMaster.address("{\"address\":{\"ip\":\"10.0.0.1\"}}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), LeadingMaster.address(new byte[] {0x08, 0x01}));
    }

    @Test
    void parsesZooKeeperUrlsAndRefusesOthers() {
        var zk = LeadingMaster.ZkAddress.parse("zk://10.0.0.1:2181,10.0.0.2:2181/mesos").orElseThrow();
        assertEquals("10.0.0.1:2181,10.0.0.2:2181", zk.connectString());
        assertEquals("/mesos", zk.path());
        assertEquals("/a/b", LeadingMaster.ZkAddress.parse("zk://zk1:2181/a/b").orElseThrow().path());
        for (var bad : List.of("10.0.0.1:5050", "zk://zk1:2181", "zk://zk1:2181/", "zk://zk1/mesos", "zk://zk1:2181//mesos")) {
            assertEquals(Optional.empty(), LeadingMaster.ZkAddress.parse(bad), bad);
        }
    }
}
