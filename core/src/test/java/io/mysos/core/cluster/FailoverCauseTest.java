package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FailoverCauseTest {
    @Test
    void aFailoverIsLabelledByTheStateTheOldMasterEndedIn() {
        assertEquals("failed", FailoverCause.label("FAILED: mysqld exited with signal 9"));
        assertEquals("lost", FailoverCause.label("LOST"));
        assertEquals("killed", FailoverCause.label("KILLED: agent restarted"));
    }

    @Test
    void aSwitchoverIsPlannedAndAnythingElseIsOther() {
        assertEquals("planned", FailoverCause.label(ClusterEvent.PLANNED));
        assertEquals("other", FailoverCause.label("the operator pulled the plug"));
        assertEquals("other", FailoverCause.label(""));
    }
}
