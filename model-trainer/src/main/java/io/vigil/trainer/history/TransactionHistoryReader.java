package io.vigil.trainer.history;

import io.vigil.schemas.Transaction;
import io.vigil.scoring.transactions.TransactionEvent;
import io.vigil.trainer.history.TransactionColumns.Role;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads transaction history: CSV files whose columns {@link TransactionColumns} maps, and Avro
 * object-container files of {@link Transaction} records (unlabelled). Every row is checked as the job
 * checks a transaction ({@link TransactionEvent#check}); a bad one fails the read naming its file, line
 * and column. Transaction ids must be unique (a file without an id column gets {@code <file>:<line>}).
 *
 * <pre>{@code
 * TransactionHistory h = TransactionHistoryReader.read(List.of(Path.of("cards.csv")), TransactionColumns.defaults());
 * }</pre>
 */
public final class TransactionHistoryReader {

    private TransactionHistoryReader() {}

    public static TransactionHistory read(List<Path> paths, TransactionColumns columns) throws IOException {
        List<TransactionEvent> txs = new ArrayList<>();
        List<Boolean> fraud = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        boolean[] labelled = {true};
        boolean[] withPatterns = {true};
        List<String> sources = new ArrayList<>();
        for (Path p : files(paths)) {
            sources.add(p.toString());
            if (AvroHistoryReader.isAvro(p)) {
                readAvro(p, txs);
                labelled[0] = false;
                withPatterns[0] = false;
            } else {
                Header h = header(p, columns);
                labelled[0] &= h.at.containsKey(Role.LABEL);
                withPatterns[0] &= h.at.containsKey(Role.PATTERN);
                readCsv(p, h, columns, txs, fraud, patterns);
            }
        }
        Set<String> ids = new HashSet<>();
        for (TransactionEvent tx : txs) {
            if (!ids.add(tx.transactionId())) {
                throw new HistoryException("Transaction id " + tx.transactionId() + " appears twice in " + sources
                        + "; ids must be unique (name the id column with --transaction-id-column)");
            }
        }
        boolean[] labels = null;
        String[] kinds = null;
        if (labelled[0]) {
            labels = new boolean[txs.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = fraud.get(i);
            }
            if (withPatterns[0]) {
                kinds = patterns.toArray(String[]::new);
            }
        }
        return new TransactionHistory(txs, labels, kinds, sources);
    }

    private static List<Path> files(List<Path> paths) throws IOException {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("No transaction files given");
        }
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new NoSuchFileException(p.toString(), null, "transaction file not found");
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> list = Files.list(p)) {
                    list.filter(Files::isRegularFile)
                            .filter(f -> {
                                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                                return n.endsWith(".csv") || n.endsWith(".avro");
                            })
                            .sorted()
                            .forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** Where each role's column is in a file, and the separator. */
    private record Header(char separator, List<String> columns, Map<Role, Integer> at) {}

    private static Header header(Path file, TransactionColumns c) throws IOException {
        String first;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            first = in.readLine();
        }
        if (first == null || first.isBlank()) {
            throw new HistoryException(file + " is empty; a transaction file needs a header row and data rows");
        }
        char sep = c.separator() != null ? c.separator() : CsvRecords.detectSeparator(first);
        List<String> columns = new ArrayList<>();
        try (CsvRecords records =
                new CsvRecords(Files.newBufferedReader(file, StandardCharsets.UTF_8), sep, file.toString())) {
            for (String cell : records.next()) {
                columns.add(cell.trim());
            }
        }
        Map<Role, Integer> at = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            String given = c.given(role);
            int i;
            if (TransactionColumns.NONE.equalsIgnoreCase(given)) {
                continue;
            } else if (given != null) {
                i = indexOf(columns, given);
                if (i < 0) {
                    throw new HistoryException(file + ": column '" + given + "' (" + role.option() + ") is not in the"
                            + " header " + columns);
                }
            } else {
                i = -1;
                for (String name : role.usual()) {
                    i = indexOf(columns, name);
                    if (i >= 0) {
                        break;
                    }
                }
            }
            if (i >= 0) {
                at.put(role, i);
            } else if (role.required()) {
                throw new HistoryException(file + ": no " + role.name().toLowerCase(Locale.ROOT)
                        + " column: looked for "
                        + role.usual() + " in the header " + columns + " (separator '" + (sep == '\t' ? "\\t" : sep)
                        + "'); name it with " + role.option());
            }
        }
        return new Header(sep, List.copyOf(columns), at);
    }

    private static int indexOf(List<String> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static void readCsv(
            Path file,
            Header h,
            TransactionColumns c,
            List<TransactionEvent> out,
            List<Boolean> fraud,
            List<String> patterns)
            throws IOException {
        String name = file.toString();
        try (CsvRecords records =
                new CsvRecords(Files.newBufferedReader(file, StandardCharsets.UTF_8), h.separator(), name)) {
            records.next(); // header
            String[] cells;
            int rows = 0;
            while ((cells = records.next()) != null) {
                int line = records.line();
                if (cells.length != h.columns().size()) {
                    throw new HistoryException(name + " line " + line + ": " + cells.length
                            + " cells, but the header has " + h.columns().size());
                }
                String id = h.at().containsKey(Role.TRANSACTION_ID)
                        ? cell(cells, h, Role.TRANSACTION_ID)
                        : file.getFileName() + ":" + line;
                long time;
                try {
                    time = Timestamps.parse(cell(cells, h, Role.TIMESTAMP), c.zone());
                } catch (IllegalArgumentException e) {
                    throw error(name, line, h, Role.TIMESTAMP, cells, e);
                }
                double amount;
                try {
                    amount = Numbers.parse(cell(cells, h, Role.AMOUNT));
                } catch (IllegalArgumentException e) {
                    throw error(name, line, h, Role.AMOUNT, cells, e);
                }
                String account = cell(cells, h, Role.ACCOUNT);
                String merchant = cell(cells, h, Role.MERCHANT);
                TransactionEvent.Invalid bad = TransactionEvent.check(id, account, time, amount, merchant);
                if (bad != null) {
                    throw new HistoryException(name + " line " + line + ": " + bad.detail());
                }
                String currency = cell(cells, h, Role.CURRENCY);
                out.add(new TransactionEvent(
                        id,
                        account,
                        time,
                        amount,
                        currency == null ? "" : currency,
                        merchant,
                        cell(cells, h, Role.COUNTRY),
                        cell(cells, h, Role.CATEGORY),
                        cell(cells, h, Role.CHANNEL)));
                if (h.at().containsKey(Role.LABEL)) {
                    try {
                        fraud.add(Numbers.parseLabel(cell(cells, h, Role.LABEL)));
                    } catch (IllegalArgumentException e) {
                        throw error(name, line, h, Role.LABEL, cells, e);
                    }
                } else {
                    fraud.add(false);
                }
                String pattern = cell(cells, h, Role.PATTERN);
                patterns.add(pattern == null ? "" : pattern);
                rows++;
            }
            if (rows == 0) {
                throw new HistoryException(name + " has a header but no data rows");
            }
        }
    }

    /** A cell of a role, trimmed; null for an absent column or an empty cell. */
    private static String cell(String[] cells, Header h, Role role) {
        Integer i = h.at().get(role);
        if (i == null) {
            return null;
        }
        String v = cells[i].trim();
        return v.isEmpty() ? null : v;
    }

    private static HistoryException error(
            String file, int line, Header h, Role role, String[] cells, IllegalArgumentException e) {
        int i = h.at().get(role);
        return new HistoryException(
                file + " line " + line + ", column '" + h.columns().get(i) + "': '" + cells[i].trim() + "' is "
                        + e.getMessage(),
                e);
    }

    private static void readAvro(Path file, List<TransactionEvent> out) throws IOException {
        long record = 0;
        try (DataFileReader<Transaction> in =
                new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(Transaction.class))) {
            for (Transaction t : in) {
                record++;
                long time = t.getEventTime().toEpochMilli();
                TransactionEvent.Invalid bad = TransactionEvent.check(
                        t.getTransactionId(), t.getAccountId(), time, t.getAmount(), t.getMerchantId());
                if (bad != null) {
                    throw new HistoryException(file + " record " + record + ": " + bad.detail());
                }
                out.add(TransactionEvent.of(t));
            }
        } catch (AvroRuntimeException e) {
            throw new HistoryException(
                    file + " is not a readable Avro file of Transaction records: " + e.getMessage(), e);
        }
    }
}
