package io.customerpyramid.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The one way the reports write numbers, whatever the machine's locale. */
class ReportFormatTest {

  @Test
  void moneyHasThousandsSeparatorsAndCentsForDoublesAndDecimals() {
    assertEquals("1,234,567.89", ReportFormat.money(1234567.891));
    assertEquals("-5.00", ReportFormat.money(-5.0));
    assertEquals("2,057,092.40", ReportFormat.money(new BigDecimal("2057092.40")));
    assertEquals("–", ReportFormat.money(null));
  }

  @Test
  void sharesArePercentagesWithOneDecimalUnlessToldOtherwise() {
    assertEquals("12.3%", ReportFormat.percent(0.123));
    assertEquals("12.35%", ReportFormat.percent(0.12345, 2));
    assertEquals("80%", ReportFormat.percent(0.8, 0));
    assertEquals("–", ReportFormat.percent(null));
  }

  @Test
  void countsDecimalsAndMeans() {
    assertEquals("3,000", ReportFormat.count(3000));
    assertEquals("0.737", ReportFormat.decimal(0.7371, 3));
    assertEquals("NaN", ReportFormat.decimal(Double.NaN, 4));
    assertEquals("1,234.50", ReportFormat.grouped(1234.5));
    assertEquals("–", ReportFormat.grouped(null));
  }
}
