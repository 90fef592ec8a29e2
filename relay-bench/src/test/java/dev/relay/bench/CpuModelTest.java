package dev.relay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CPU model printed beside every benchmark and load table. */
class CpuModelTest {

    @Test
    void theFirstModelNameIsTheCpu(@TempDir Path dir) throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @"
                + " 2.00GHz\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.00GHz\n");
        assertThat(CpuModel.name(cpuinfo)).isEqualTo("Intel(R) Xeon(R) CPU @ 2.00GHz");
        assertThat(CpuModel.cpuCount(cpuinfo)).as("the machine's, whatever this process is pinned to").isEqualTo(2);
    }

    @Test
    void noModelNameIsUnknown(@TempDir Path dir) throws Exception {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\n");
        assertThat(CpuModel.name(cpuinfo)).isEqualTo("unknown");
        assertThat(CpuModel.name(dir.resolve("missing"))).isEqualTo("unknown");
    }
}
