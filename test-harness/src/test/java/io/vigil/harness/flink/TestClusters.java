package io.vigil.harness.flink;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster the pipeline ITCases run the job on: bound to the loopback, its REST port any free one. */
public final class TestClusters {

    private TestClusters() {}

    /** {@code taskManagers} TaskManagers of {@code slots} slots each. */
    public static MiniClusterExtension miniCluster(int taskManagers, int slots) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(taskManagers)
                .setNumberSlotsPerTaskManager(slots)
                .setConfiguration(LocalFlink.loopback("0"))
                .build());
    }
}
