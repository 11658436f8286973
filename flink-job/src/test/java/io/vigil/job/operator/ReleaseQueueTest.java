package io.vigil.job.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReleaseQueueTest {

    @Test
    void entriesComeOutEarliestFirstWhateverOrderTheyWentIn() {
        Random random = new Random(7);
        ReleaseQueue<String> queue = new ReleaseQueue<>(2); // grows
        List<Long> in = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            long t = random.nextInt(1_000); // many equal times
            in.add(t);
            queue.add(t, "k" + t);
        }
        assertThat(queue.size()).isEqualTo(5_000);
        List<Long> out = new ArrayList<>();
        while (!queue.isEmpty()) {
            assertThat(queue.peekKey()).isEqualTo("k" + queue.peekTime());
            out.add(queue.peekTime());
            queue.poll();
        }
        in.sort(null);
        assertThat(out).containsExactlyElementsOf(in);
    }

    @Test
    void addingWhileDrainingKeepsTheOrder() {
        ReleaseQueue<String> queue = new ReleaseQueue<>(4);
        queue.add(30, "c");
        queue.add(10, "a");
        queue.poll(); // 10
        queue.add(20, "b");
        queue.add(40, "d");
        List<String> out = new ArrayList<>();
        while (!queue.isEmpty()) {
            out.add(queue.peekKey());
            queue.poll();
        }
        assertThat(out).containsExactly("b", "c", "d");
    }
}
