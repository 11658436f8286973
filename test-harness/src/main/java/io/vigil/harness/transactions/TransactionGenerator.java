package io.vigil.harness.transactions;

import io.vigil.scoring.transactions.TransactionEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A labelled stream of card transactions: accounts with habits of their own, and the four kinds of
 * fraud of {@link FraudPattern} laid over them, each labelled with its kind. Seeded and reproducible.
 *
 * <p>The world: merchants with a country, a category and a popularity (a few are popular, most are
 * not), about one in twelve of them online shops. Each account has a home country and currency, a rate
 * (0.5-10 transactions a day, lower or higher at weekends), amounts of its own size and spread, the
 * hours it is active, 6-20 favourite merchants near home (used by popularity) and two online shops, and
 * tries a new local merchant now and then; a fifth of the accounts travel abroad once for 3-10 days
 * (genuine new merchants and a new country). Frauds start after {@code warmupDays}, so every account has
 * history first.
 */
public final class TransactionGenerator {

    /** A transaction and its truth: {@code pattern} is null for a genuine one. */
    public record Labelled(TransactionEvent tx, FraudPattern pattern) {
        public boolean fraud() {
            return pattern != null;
        }
    }

    /** One injected fraud: its kind, whom it hit (an account, or the compromised merchant), when, how many transactions. */
    public record Incident(FraudPattern pattern, String subject, Instant start, Instant end, int transactions) {}

    /** What was generated: the transactions in time order (with ids in that order) and the incidents. */
    public record Generated(TransactionGeneratorConfig config, List<Labelled> transactions, List<Incident> incidents) {

        public long frauds() {
            return transactions.stream().filter(Labelled::fraud).count();
        }

        /** Scores the job writes for these transactions: each account's but its first {@code window} - 1. */
        public long expectedScores(int window) {
            Map<String, Long> perAccount = new HashMap<>();
            transactions.forEach(l -> perAccount.merge(l.tx().accountId(), 1L, Long::sum));
            return perAccount.values().stream()
                    .mapToLong(n -> Math.max(0, n - window + 1))
                    .sum();
        }

        /** The incidents per pattern, e.g. " (card testing 4 with 24 transactions; ...)"; empty when none. */
        public String incidentSummary() {
            Map<FraudPattern, int[]> counts = new EnumMap<>(FraudPattern.class);
            for (Incident i : incidents) {
                int[] c = counts.computeIfAbsent(i.pattern(), p -> new int[2]);
                c[0]++;
                c[1] += i.transactions();
            }
            StringBuilder s = new StringBuilder();
            counts.forEach((p, c) -> s.append(s.length() == 0 ? " (" : "; ")
                    .append(p.label())
                    .append(' ')
                    .append(c[0])
                    .append(" with ")
                    .append(c[1])
                    .append(" transactions"));
            return s.length() == 0 ? "" : s.append(')').toString();
        }

        /** The transactions of the first {@code days} days only (e.g. history to train on). */
        public List<Labelled> before(Instant end) {
            return transactions.stream()
                    .filter(l -> l.tx().eventTime() < end.toEpochMilli())
                    .toList();
        }
    }

    static final String[] HOME = {"DE", "FR", "GB", "NL", "ES", "IT", "US"};
    static final double[] HOME_WEIGHT = {0.30, 0.20, 0.15, 0.10, 0.10, 0.10, 0.05};
    static final String[] ABROAD = {"BR", "TH", "NG", "RU", "MX", "TR", "ZA", "IN", "PT", "PL"};
    static final String[] CATEGORIES = {"5411", "5812", "5541", "5651", "5732", "5912", "4511", "7011", "5818", "6011"};
    static final double[] CATEGORY_WEIGHT = {0.28, 0.20, 0.12, 0.10, 0.06, 0.08, 0.02, 0.03, 0.05, 0.06};

    private static final long SECOND = 1000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private final TransactionGeneratorConfig c;
    private final Random r;
    private Merchant[] merchants;
    /** Per country (home and abroad), its merchants' indices and their cumulative popularity. */
    private String[] countries;

    private int[][] byCountry;
    /** The index of {@link #byCountry}'s entry of all merchants. */
    private int anywhere;

    private double[][] byCountryCumulative;
    private int[] online;

    private TransactionGenerator(TransactionGeneratorConfig config) {
        this.c = config;
        this.r = new Random(config.seed());
    }

    public static Generated generate(TransactionGeneratorConfig config) {
        return new TransactionGenerator(config).run();
    }

    private record Merchant(String id, String country, String category, boolean online, double popularity) {}

    /** One account's habits. */
    private record Account(
            String id,
            String home,
            String currency,
            double rate,
            double weekend,
            double mu,
            double sigma,
            double peakHour,
            double spreadHours,
            int[] favourites,
            double[] favouriteCumulative,
            int[] shops,
            int tripStart,
            int tripDays,
            String tripCountry) {

        double typical() {
            return Math.exp(mu);
        }
    }

    /** A transaction before ids are given: its fields and truth. */
    private static final class Draft {
        final String account;
        final long time;
        final double amount;
        final String currency;
        final Merchant merchant;
        FraudPattern pattern;

        Draft(String account, long time, double amount, String currency, Merchant merchant, FraudPattern pattern) {
            this.account = account;
            this.time = time;
            this.amount = amount;
            this.currency = currency;
            this.merchant = merchant;
            this.pattern = pattern;
        }
    }

    private Generated run() {
        world();
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < c.accounts(); i++) {
            accounts.add(account(i));
        }
        List<Draft> drafts = new ArrayList<>();
        for (Account a : accounts) {
            genuine(a, drafts);
        }
        List<Incident> incidents = new ArrayList<>();
        inject(accounts, drafts, incidents);
        drafts.sort(Comparator.comparingLong((Draft d) -> d.time).thenComparing(d -> d.account));
        List<Labelled> out = new ArrayList<>(drafts.size());
        String format = "t%0" + Math.max(7, String.valueOf(drafts.size()).length()) + "d";
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            Merchant m = d.merchant;
            String channel = m.online() ? "online" : m.category().equals("6011") ? "atm" : "pos";
            out.add(new Labelled(
                    new TransactionEvent(
                            String.format(format, i),
                            d.account,
                            d.time,
                            d.amount,
                            d.currency,
                            m.id(),
                            m.country(),
                            m.category(),
                            channel),
                    d.pattern));
        }
        incidents.sort(Comparator.comparing(Incident::start).thenComparing(Incident::subject));
        return new Generated(c, List.copyOf(out), List.copyOf(incidents));
    }

    private void world() {
        countries = new String[HOME.length + ABROAD.length];
        System.arraycopy(HOME, 0, countries, 0, HOME.length);
        System.arraycopy(ABROAD, 0, countries, HOME.length, ABROAD.length);
        merchants = new Merchant[c.merchants()];
        List<List<Integer>> members = new ArrayList<>();
        for (int k = 0; k < countries.length; k++) {
            members.add(new ArrayList<>());
        }
        List<Integer> shops = new ArrayList<>();
        for (int i = 0; i < merchants.length; i++) {
            int country = r.nextDouble() < 0.8 ? pick(HOME_WEIGHT) : HOME.length + r.nextInt(ABROAD.length);
            boolean isOnline = r.nextDouble() < 0.08;
            String category = isOnline ? (r.nextBoolean() ? "5818" : "5732") : CATEGORIES[pick(CATEGORY_WEIGHT)];
            // popularity: heavy-tailed, a few merchants draw most of the traffic
            double popularity = Math.exp(1.2 * r.nextGaussian());
            merchants[i] = new Merchant(String.format("m-%05d", i), countries[country], category, isOnline, popularity);
            members.get(country).add(i);
            if (isOnline) {
                shops.add(i);
            }
        }
        // the last entry is every merchant, for a country that has none
        anywhere = countries.length;
        byCountry = new int[countries.length + 1][];
        byCountryCumulative = new double[countries.length + 1][];
        for (int k = 0; k < countries.length; k++) {
            byCountry[k] = members.get(k).stream().mapToInt(Integer::intValue).toArray();
            byCountryCumulative[k] = cumulative(byCountry[k]);
        }
        byCountry[anywhere] = IntStream.range(0, merchants.length).toArray();
        byCountryCumulative[anywhere] = cumulative(byCountry[anywhere]);
        online = shops.stream().mapToInt(Integer::intValue).toArray();
    }

    private double[] cumulative(int[] ids) {
        double[] cum = new double[ids.length];
        double s = 0;
        for (int j = 0; j < ids.length; j++) {
            s += merchants[ids[j]].popularity();
            cum[j] = s;
        }
        return cum;
    }

    /**
     * A merchant of country {@code k}, by popularity; of any country when {@code k} has none (a world of a
     * few dozen merchants leaves some countries without one).
     */
    private int merchantIn(int k) {
        if (byCountry[k].length == 0) {
            return merchantIn(anywhere);
        }
        double[] cum = byCountryCumulative[k];
        int j = Arrays.binarySearch(cum, r.nextDouble() * cum[cum.length - 1]);
        return byCountry[k][j < 0 ? -j - 1 : j];
    }

    private int countryIndex(String code) {
        for (int k = 0; k < countries.length; k++) {
            if (countries[k].equals(code)) {
                return k;
            }
        }
        throw new IllegalArgumentException(code);
    }

    private Account account(int i) {
        int home = pick(HOME_WEIGHT);
        String currency = switch (HOME[home]) {
            case "GB" -> "GBP";
            case "US" -> "USD";
            default -> "EUR";
        };
        double rate = Math.min(10, Math.max(0.5, Math.exp(Math.log(2.5) + 0.5 * r.nextGaussian())));
        double weekend = 0.6 + 0.9 * r.nextDouble();
        double mu = Math.log(12 + 78 * r.nextDouble());
        double sigma = 0.4 + 0.5 * r.nextDouble();
        double peak = 14 + 2.5 * r.nextGaussian();
        double spread = 2 + 2 * r.nextDouble();
        int n = 6 + r.nextInt(15);
        Set<Integer> chosen = new HashSet<>();
        int guard = 0;
        while (chosen.size() < n && guard++ < 1000) {
            chosen.add(merchantIn(home));
        }
        int[] favourites = chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
        shuffle(favourites);
        double[] cum = new double[favourites.length];
        double s = 0;
        for (int j = 0; j < favourites.length; j++) {
            s += 1.0 / (j + 1); // the first favourites are used most
            cum[j] = s;
        }
        int[] shops = {online[r.nextInt(online.length)], online[r.nextInt(online.length)]};
        int tripStart = -1;
        int tripDays = 0;
        String tripCountry = null;
        if (r.nextDouble() < c.travel() && c.days() > 12) {
            tripDays = 3 + r.nextInt(8);
            tripStart = r.nextInt(Math.max(1, c.days() - tripDays));
            tripCountry = countries[HOME.length + r.nextInt(ABROAD.length)];
        }
        return new Account(
                String.format("acc-%05d", i),
                HOME[home],
                currency,
                rate,
                weekend,
                mu,
                sigma,
                peak,
                spread,
                favourites,
                cum,
                shops,
                tripStart,
                tripDays,
                tripCountry);
    }

    private void genuine(Account a, List<Draft> out) {
        long start = c.start().toEpochMilli();
        int home = countryIndex(a.home());
        for (int d = 0; d < c.days(); d++) {
            long dayStart = start + d * DAY;
            boolean weekend = Math.floorMod(Math.floorDiv(dayStart, DAY) + 3, 7L) >= 5;
            boolean away = a.tripStart() >= 0 && d >= a.tripStart() && d < a.tripStart() + a.tripDays();
            double lambda = a.rate() * (weekend ? a.weekend() : 1) * (away ? 1.2 : 1);
            int n = poisson(lambda);
            for (int k = 0; k < n; k++) {
                double hour =
                        Math.floorMod(Math.round((a.peakHour() + a.spreadHours() * r.nextGaussian()) * 60), 24 * 60L)
                                / 60.0;
                long time = dayStart + (long) (hour * HOUR) + r.nextInt((int) MINUTE);
                Merchant m;
                double amount = lognormal(a);
                if (away) {
                    m = merchants[merchantIn(countryIndex(a.tripCountry()))];
                    amount *= 1 + r.nextDouble();
                } else {
                    double u = r.nextDouble();
                    m = u < 0.07
                            ? merchants[merchantIn(home)]
                            : u < 0.2 ? merchants[a.shops()[r.nextInt(a.shops().length)]] : merchants[favourite(a)];
                }
                if (m.category().equals("6011")) {
                    amount = Math.max(20, Math.round(amount * 2 / 10) * 10.0); // cash comes in round sums
                }
                out.add(new Draft(a.id(), time, cents(amount), a.currency(), m, null));
            }
        }
    }

    private void inject(List<Account> accounts, List<Draft> drafts, List<Incident> incidents) {
        double months = (c.days() - c.warmupDays()) / 30.0;
        double thousands = c.accounts() / 1000.0;
        long from = c.start().toEpochMilli() + c.warmupDays() * DAY;
        long to = c.start().toEpochMilli() + c.days() * DAY;
        for (FraudPattern p : FraudPattern.values()) {
            int count = switch (p) {
                case CARD_TESTING -> poisson(c.cardTesting() * thousands * months);
                case ACCOUNT_TAKEOVER -> poisson(c.accountTakeover() * thousands * months);
                case VELOCITY_BURST -> poisson(c.velocityBurst() * thousands * months);
                case COMPROMISED_MERCHANT -> poisson(c.compromisedMerchants() * months);
            };
            for (int i = 0; i < count; i++) {
                if (p == FraudPattern.COMPROMISED_MERCHANT) {
                    compromise(drafts, incidents, from, to);
                } else {
                    Account a = accounts.get(r.nextInt(accounts.size()));
                    long t0 = from + (long) (r.nextDouble() * (to - from - DAY));
                    incidents.add(attack(p, a, t0, drafts));
                }
            }
        }
    }

    /** Card testing, a takeover or a burst on account {@code a} from {@code t0}. */
    private Incident attack(FraudPattern p, Account a, long t0, List<Draft> out) {
        int n;
        long t = t0;
        List<Draft> made = new ArrayList<>();
        switch (p) {
            case CARD_TESTING -> {
                n = 4 + r.nextInt(9);
                int[] shops = {online[r.nextInt(online.length)], online[r.nextInt(online.length)]};
                for (int k = 0; k < n; k++) {
                    double amount = r.nextDouble() < 0.4 ? 1.0 : 0.5 + 2.5 * r.nextDouble();
                    made.add(new Draft(a.id(), t, cents(amount), a.currency(), merchants[shops[r.nextInt(2)]], p));
                    t += 5 * SECOND + r.nextInt((int) (55 * SECOND));
                }
            }
            case ACCOUNT_TAKEOVER -> {
                n = 2 + r.nextInt(5);
                long span = 10 * MINUTE + (long) (r.nextDouble() * 6 * HOUR);
                boolean abroad = r.nextDouble() < 0.7;
                int k0 = abroad ? HOME.length + r.nextInt(ABROAD.length) : countryIndex(a.home());
                for (int k = 0; k < n; k++) {
                    boolean local = abroad || r.nextBoolean();
                    Merchant m =
                            merchants[stranger(a, () -> local ? merchantIn(k0) : online[r.nextInt(online.length)])];
                    double amount = a.typical() * (4 + 11 * r.nextDouble());
                    made.add(new Draft(a.id(), t, cents(amount), a.currency(), m, p));
                    t += span / n + r.nextInt((int) MINUTE);
                }
            }
            case VELOCITY_BURST -> {
                n = 6 + r.nextInt(10);
                long span = 5 * MINUTE + (long) (r.nextDouble() * 25 * MINUTE);
                int home = countryIndex(a.home());
                for (int k = 0; k < n; k++) {
                    Merchant m = r.nextDouble() < 0.6 ? merchants[favourite(a)] : merchants[merchantIn(home)];
                    double amount = a.typical() * (0.5 + 1.5 * r.nextDouble());
                    made.add(new Draft(a.id(), t, cents(amount), a.currency(), m, p));
                    t += span / n + r.nextInt((int) (20 * SECOND));
                }
            }
            default -> throw new IllegalArgumentException(p.name());
        }
        out.addAll(made);
        return new Incident(
                p, a.id(), Instant.ofEpochMilli(t0), Instant.ofEpochMilli(made.get(made.size() - 1).time), made.size());
    }

    /**
     * A compromised merchant: of eight merchants that genuine transactions in a day from a random start use
     * (busy ones, by the traffic), the one the most accounts pay at in the next 14-28 days; all its
     * transactions in those days become fraud.
     */
    private void compromise(List<Draft> drafts, List<Incident> incidents, long from, long to) {
        long start = from + (long) (r.nextDouble() * Math.max(DAY, to - from - 7 * DAY));
        List<Draft> candidates = new ArrayList<>();
        for (Draft d : drafts) {
            if (d.pattern == null && d.time >= start && d.time < start + DAY && !d.merchant.online()) {
                candidates.add(d);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        long end = Math.min(to, start + (14 + r.nextInt(15)) * DAY);
        // of a few merchants paid there that day, the one most accounts pay at during the compromise
        Merchant m = null;
        long most = -1;
        for (int k = 0; k < 8; k++) {
            Merchant candidate = candidates.get(r.nextInt(candidates.size())).merchant;
            long accounts = drafts.stream()
                    .filter(d -> d.merchant == candidate && d.time >= start && d.time < end)
                    .map(d -> d.account)
                    .distinct()
                    .count();
            if (accounts > most) {
                most = accounts;
                m = candidate;
            }
        }
        int n = 0;
        long last = start;
        for (Draft d : drafts) {
            if (d.merchant == m && d.time >= start && d.time < end && d.pattern == null) {
                d.pattern = FraudPattern.COMPROMISED_MERCHANT;
                n++;
                last = Math.max(last, d.time);
            }
        }
        incidents.add(new Incident(
                FraudPattern.COMPROMISED_MERCHANT, m.id(), Instant.ofEpochMilli(start), Instant.ofEpochMilli(last), n));
    }

    /** A merchant from {@code draw} that is none of the account's favourites or online shops (20 tries). */
    private int stranger(Account a, java.util.function.IntSupplier draw) {
        int m = draw.getAsInt();
        for (int tries = 0; tries < 20 && (contains(a.favourites(), m) || contains(a.shops(), m)); tries++) {
            m = draw.getAsInt();
        }
        return m;
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private int favourite(Account a) {
        double[] cum = a.favouriteCumulative();
        int j = Arrays.binarySearch(cum, r.nextDouble() * cum[cum.length - 1]);
        return a.favourites()[j < 0 ? -j - 1 : j];
    }

    private double lognormal(Account a) {
        return Math.exp(a.mu() + a.sigma() * r.nextGaussian());
    }

    private static double cents(double amount) {
        return Math.max(0.01, Math.round(amount * 100) / 100.0);
    }

    private int pick(double[] weights) {
        double u = r.nextDouble();
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            s += weights[i];
            if (u < s) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private int poisson(double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 30) {
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * r.nextGaussian()));
        }
        double l = Math.exp(-lambda);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }

    private void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
