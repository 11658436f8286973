package io.vigil.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessResourcesTest {

    @Test
    void cpuTicksOfAProcessAreUtimePlusStimeEvenWithBlanksInItsName() {
        // fields 14 and 15 of /proc/<pid>/stat are utime 1234 and stime 56; the name (field 2) has a blank and a ')'
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 6330 0 3 0 1234 56 0 0 20 0 60 0 2112 "
                + "5000000000 120000 18446744073709551615 1 1 0 0 0 0 0 16781312 17610 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcessResources.parseStatCpuTicks(stat)).isEqualTo(1290);
    }

    @Test
    void thisJvmsCpuAndMemoryReadByPidAreTheSameKindAsItsOwn() {
        long pid = ProcessHandle.current().pid();
        assertThat(ProcessResources.cpuNanosOf(pid)).isPositive();
        assertThat(ProcessResources.rssBytesOf(pid)).isGreaterThan(10L << 20);
        assertThat(ProcessResources.cpuNanosOf(Long.MAX_VALUE)).isEqualTo(-1);
        assertThat(ProcessResources.rssBytesOf(Long.MAX_VALUE)).isEqualTo(-1);
    }
}
