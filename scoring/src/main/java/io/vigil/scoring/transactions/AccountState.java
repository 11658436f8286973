package io.vigil.scoring.transactions;

import java.util.Arrays;

/**
 * What Vigil remembers of one account's transactions, of a fixed size however many it makes (about
 * 1.2 KiB): the times of its latest {@value #RECENT} transactions and the amounts of its latest
 * {@value #AMOUNTS}, counts and sums in 5-minute, hourly and daily buckets over the last hour, day and
 * month, and the merchants and countries it used lately with when. {@link TransactionFeatures} reads and
 * updates it, one transaction at a time in {@link TransactionEvent#ORDER}; it lives in Flink keyed
 * state in the job (written by the job's serializer: a field added here is added there) and in a map
 * in the trainer.
 */
public final class AccountState {

    /** Transaction times remembered exactly (for the velocity over the last minutes). */
    public static final int RECENT = 16;
    /** Amounts remembered (the account's typical amount is their median). */
    public static final int AMOUNTS = 32;
    /** Merchants remembered, least recently used forgotten first. */
    public static final int MERCHANTS = 24;
    /** Countries remembered, least recently used forgotten first. */
    public static final int COUNTRIES = 8;
    /** Marks an empty slot of {@link #merchantSeen} and {@link #countrySeen}. */
    public static final int EMPTY = Integer.MIN_VALUE;

    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    /** Event time of the account's latest transaction, or MIN_VALUE before its first. */
    public long lastTime = Long.MIN_VALUE;
    /** Transactions seen (since the state was last reset). */
    public long count;
    /** Ring of the latest transaction times; slot {@code count % RECENT} is written next. */
    public final long[] recent = new long[RECENT];
    /** Ring of the latest amounts; slot {@code count % AMOUNTS} is written next. */
    public final float[] amounts = new float[AMOUNTS];
    /** 12 buckets of 5 minutes: the last hour. */
    public final TimeBuckets minutes = new TimeBuckets(12, 5 * MINUTE);
    /** 24 buckets of an hour: the last day. */
    public final TimeBuckets hours = new TimeBuckets(24, HOUR);
    /** 30 buckets of a day: the last week and month. */
    public final TimeBuckets days = new TimeBuckets(30, DAY);
    /** Hashes of the merchants used lately, and when each was last used (minutes since the epoch). */
    public final long[] merchants = new long[MERCHANTS];

    public final int[] merchantSeen = new int[MERCHANTS];
    /** Hashes of the countries used lately, and when each was last used (minutes since the epoch). */
    public final long[] countries = new long[COUNTRIES];

    public final int[] countrySeen = new int[COUNTRIES];

    public AccountState() {
        Arrays.fill(merchantSeen, EMPTY);
        Arrays.fill(countrySeen, EMPTY);
    }

    /** Forgets everything: the account is new again (it was silent longer than the state TTL). */
    public void reset() {
        lastTime = Long.MIN_VALUE;
        count = 0;
        Arrays.fill(recent, 0);
        Arrays.fill(amounts, 0);
        minutes.clear();
        hours.clear();
        days.clear();
        Arrays.fill(merchants, 0);
        Arrays.fill(merchantSeen, EMPTY);
        Arrays.fill(countries, 0);
        Arrays.fill(countrySeen, EMPTY);
    }

    /** Bytes of state as the job writes it (for the state-size figures). */
    public int bytes() {
        return 16
                + 8 * RECENT
                + 4 * AMOUNTS
                + minutes.bytes()
                + hours.bytes()
                + days.bytes()
                + 12 * MERCHANTS
                + 12 * COUNTRIES;
    }

    /**
     * Looks {@code hash} up among the remembered ones and marks it used at {@code minute}: its slot if it
     * was there (returns false: not new), else the empty or least recently used slot (returns true).
     */
    static boolean use(long[] hashes, int[] seen, long hash, int minute) {
        int oldest = 0;
        for (int i = 0; i < hashes.length; i++) {
            if (seen[i] != EMPTY && hashes[i] == hash) {
                seen[i] = Math.max(seen[i], minute);
                return false;
            }
            if (seen[i] < seen[oldest]) {
                oldest = i;
            }
        }
        hashes[oldest] = hash;
        seen[oldest] = minute;
        return true;
    }

    /** How many remembered entries were used after {@code sinceMinute}. */
    static int usedAfter(int[] seen, int sinceMinute) {
        int n = 0;
        for (int s : seen) {
            if (s != EMPTY && s > sinceMinute) {
                n++;
            }
        }
        return n;
    }

    /** A 64-bit hash of an id (FNV-1a over its UTF-16 chars): ids are remembered as hashes, not strings. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
