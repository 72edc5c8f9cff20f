package io.mysos.core.size;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import io.mysos.core.TestJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataSizeTest {
    private static final long KB = 1024;
    private static final long MB = 1024 * KB;
    private static final long GB = 1024 * MB;
    private static final long TB = 1024 * GB;

    @Test
    void parsesMegabytes() {
        assertEquals(512 * MB, DataSize.parse("512mb").bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2gb", "2GB", "2Gb", "2gB"})
    void parsesUnitsCaseInsensitively(String text) {
        assertEquals(2 * GB, DataSize.parse(text).bytes());
    }

    @Test
    void parsesEveryUnitAsBinary() {
        assertEquals(7, DataSize.parse("7b").bytes());
        assertEquals(3 * KB, DataSize.parse("3kb").bytes());
        assertEquals(3 * MB, DataSize.parse("3mb").bytes());
        assertEquals(3 * GB, DataSize.parse("3gb").bytes());
        assertEquals(3 * TB, DataSize.parse("3tb").bytes());
    }

    @Test
    void parsesABareNumberAsBytes() {
        assertEquals(1024, DataSize.parse("1024").bytes());
    }

    @Test
    void parsesDecimalSizes() {
        assertEquals(1536 * MB, DataSize.parse("1.5gb").bytes());
        assertEquals(512 * MB, DataSize.parse("0.5gb").bytes());
        assertEquals(256 * KB, DataSize.parse("0.25mb").bytes());
    }

    @Test
    void toleratesSpacesAroundTheNumberAndUnit() {
        assertEquals(2 * GB, DataSize.parse("  2 GB ").bytes());
        assertEquals(512 * MB, DataSize.parse("\t512mb\n").bytes());
    }

    @Test
    void parsesZero() {
        assertEquals(DataSize.ZERO, DataSize.parse("0mb"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1mb", "1e3mb", "12xb", "mb", "", "   ", "512 m b", "0x10mb", "1,5gb", "5 gigabytes", "1.mb", "2gb2"})
    void rejectsTextThatIsNotASizeWithAnExample(String text) {
        var e = assertThrows(InvalidInputException.class, () -> DataSize.parse(text));
        assertEquals("'" + text + "' is not a data size; use a number with b, kb, mb, gb or tb, e.g. 512mb", e.getMessage());
    }

    @Test
    void rejectsNonAsciiDigits() {
        // Arabic-Indic digits match \d only with UNICODE_CHARACTER_CLASS; they must not slip through.
        assertThrows(InvalidInputException.class, () -> DataSize.parse("\u0665\u0661\u0662mb"));
    }

    @Test
    void requiresAValue() {
        var e = assertThrows(InvalidInputException.class, () -> DataSize.parse(null));
        assertEquals("a data size is required, e.g. 512mb", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9000000tb", "99999999999999999999999tb", "99999999999999999999999"})
    void rejectsSizesTooLargeToCount(String text) {
        var e = assertThrows(InvalidInputException.class, () -> DataSize.parse(text));
        assertEquals("'" + text + "' is too large", e.getMessage());
    }

    @Test
    void rejectsAThousandDigitNumberAsTooLarge() {
        var text = "9".repeat(1000) + "mb";
        var e = assertThrows(InvalidInputException.class, () -> DataSize.parse(text));
        assertTrue(e.getMessage().endsWith("is too large"), e.getMessage());
    }

    @Test
    void acceptsAMebibyteOfTerabytes() {
        assertEquals(1024 * 1024 * TB, DataSize.parse("1048576tb").bytes());
    }

    @Test
    void refusesNegativeByteCounts() {
        var e = assertThrows(InvalidInputException.class, () -> new DataSize(-1));
        assertEquals("a data size cannot be negative: -1", e.getMessage());
    }

    @Test
    void printsTheLargestUnitThatKeepsTheNumberWhole() {
        assertEquals("0b", DataSize.ZERO.toString());
        assertEquals("1023b", new DataSize(1023).toString());
        assertEquals("1kb", new DataSize(KB).toString());
        assertEquals("512mb", DataSize.ofMegabytes(512).toString());
        assertEquals("2gb", DataSize.ofGigabytes(2).toString());
        assertEquals("1280mb", DataSize.ofMegabytes(1280).toString());
        assertEquals("1tb", new DataSize(TB).toString());
        assertEquals("2048tb", new DataSize(2048 * TB).toString());
    }

    @Test
    void printsOneDecimalForHalves() {
        assertEquals("1.5gb", DataSize.ofMegabytes(1536).toString());
        assertEquals("1.5kb", new DataSize(1536).toString());
        assertEquals("1024.5kb", new DataSize(MB + 512).toString());
    }

    @Test
    void printsLargeHalvesWithoutExponentNotation() {
        assertEquals("10000000.5kb", new DataSize(10_000_000 * KB + 512).toString());
    }

    @Test
    void printedSizesParseBackToTheSameBytes() {
        for (long bytes : List.of(0L, 1L, 1023L, 1536L, 1126L, 512 * MB, 1536 * MB, 1280 * MB, 3 * TB + GB / 2,
                MB + 512, 10_000_000 * KB + 512, 123_456_789_012L, 4 * TB + 512)) {
            var size = new DataSize(bytes);
            assertEquals(size, DataSize.parse(size.toString()), "bytes " + bytes + " printed as " + size);
        }
    }

    @Test
    void convertsToMegabytesRoundingDown() {
        assertEquals(1536, DataSize.parse("1.5gb").megabytes());
        assertEquals(0, DataSize.parse("1023kb").megabytes());
    }

    @Test
    void addsAndSubtractsWithoutGoingNegative() {
        var gb = DataSize.ofGigabytes(1);
        var half = DataSize.ofMegabytes(512);
        assertEquals(DataSize.ofMegabytes(1536), gb.plus(half));
        assertEquals(half, gb.minus(half));
        assertEquals(DataSize.ZERO, half.minus(gb));
    }

    @Test
    void comparesByBytes() {
        assertTrue(DataSize.parse("1gb").isAtLeast(DataSize.parse("1024mb")));
        assertTrue(DataSize.parse("1gb").compareTo(DataSize.parse("1023mb")) > 0);
        assertTrue(DataSize.parse("1023mb").compareTo(DataSize.parse("1gb")) < 0);
        assertEquals(false, DataSize.parse("1023mb").isAtLeast(DataSize.parse("1gb")));
    }

    @Test
    void writesJsonAsTheTextOperatorsRead() {
        assertEquals("\"1.5gb\"", TestJson.write(DataSize.parse("1.5gb")));
        assertEquals(DataSize.parse("1.5gb"), TestJson.read("\"1.5gb\"", DataSize.class));
    }
}
