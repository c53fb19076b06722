package io.customerpyramid.books;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.customerpyramid.features.CustomerFeatures;
import io.customerpyramid.ingest.CheckedInput;
import io.customerpyramid.ingest.OrdersIngest;
import io.customerpyramid.ingest.ReturnsIngest;
import io.customerpyramid.schema.Columns;
import io.customerpyramid.schema.Money;
import io.customerpyramid.testing.Fixtures;
import io.customerpyramid.testing.SparkTestSession;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The books on hand-made inputs: every status summed apart, and a customer table that lost money caught. */
class BooksTest {

  private static final StructType ORDER_LINES =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.LINE_VALUE, Money.WORK)
          .add(Columns.IS_RETURN_LINE, DataTypes.BooleanType)
          .add(Columns.REJECT_REASON, DataTypes.StringType);
  private static final StructType REFUNDS =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(Columns.REFUND_AMOUNT, Money.WORK)
          .add(Columns.REJECT_REASON, DataTypes.StringType);
  private static final StructType CUSTOMERS =
      new StructType()
          .add(Columns.CUSTOMER_ID, DataTypes.StringType)
          .add(CustomerFeatures.LEDGER_ORDERS, Money.WORK)
          .add(CustomerFeatures.LEDGER_RETURNS, Money.WORK);

  private static CheckedInput orders;
  private static CheckedInput returns;

  @BeforeAll
  static void inputs() {
    SparkTestSession.get();
    orders =
        new CheckedInput(
            OrdersIngest.NAME,
            Fixtures.frame(
                ORDER_LINES,
                new Object[] {"a", 10.005, false, null},
                new Object[] {"a", 4.0, true, null}, // a cancelled line with a positive value: a return of 4
                new Object[] {"b", -2.5, true, null},
                new Object[] {"b", 3.0, false, "DUPLICATE_ROW"},
                new Object[] {"b", null, false, "NON_NUMERIC_AMOUNT"}, // no amount: counts nowhere
                new Object[] {"c", 7.0, false, CheckedInput.AFTER_SNAPSHOT}));
    returns =
        new CheckedInput(
            ReturnsIngest.NAME,
            Fixtures.frame(REFUNDS, new Object[] {"a", 1.25, null}, new Object[] {"z", 9.0, "UNKNOWN_CUSTOMER"}));
  }

  @Test
  void eachStatusIsSummedApartAndAcceptedMoneyInTheCustomerTableBalances() {
    // a: 10.005 - 4 = 6.005 and a refund of 1.25; b: -2.5.
    Dataset<Row> customers =
        Fixtures.frame(CUSTOMERS, new Object[] {"a", 6.005, 1.25}, new Object[] {"b", -2.5, 0.0});
    Books books = Books.of(List.of(Optional.of(orders), Optional.of(returns), Optional.empty()), customers);
    assertEquals(2, books.ledgers().size(), "no ledger for an input that was not read");
    Ledger ledger = books.ledgers().get(0);
    assertEquals(0, new BigDecimal("3.505").compareTo(ledger.accepted()), ledger.toString());
    assertEquals(0, new BigDecimal("3").compareTo(ledger.rejected()), ledger.toString());
    assertEquals(0, new BigDecimal("7").compareTo(ledger.afterSnapshot()), ledger.toString());
    assertEquals(0, new BigDecimal("13.505").compareTo(ledger.read()), ledger.toString());
    assertTrue(ledger.balanced(), ledger.toString());
    Ledger refunds = books.ledgers().get(1);
    assertEquals(0, new BigDecimal("1.25").compareTo(refunds.accepted()), refunds.toString());
    assertEquals(0, new BigDecimal("9").compareTo(refunds.rejected()), refunds.toString());
    books.requireBalanced();
  }

  @Test
  void aCustomerTableThatLostMoneyStopsTheRunNamingTheInputAndTheDifference() {
    // Customer b lost on the way (say, by a wrong join): its -2.50 is missing, and a's refund was counted twice.
    Dataset<Row> customers = Fixtures.frame(CUSTOMERS, new Object[] {"a", 6.005, 2.5});
    Books books = Books.of(List.of(Optional.of(orders), Optional.of(returns)), customers);
    assertFalse(books.ledgers().get(0).balanced());
    assertEquals(0, new BigDecimal("-2.5").compareTo(books.ledgers().get(0).difference()));
    BooksError error = assertThrows(BooksError.class, books::requireBalanced);
    assertTrue(error.getMessage().contains("orders: accepted 3.50500000"), error.getMessage());
    assertTrue(error.getMessage().contains("customer_features holds 6.00500000, a difference of -2.50000000"), error.getMessage());
    assertTrue(error.getMessage().contains("returns: accepted 1.25000000"), error.getMessage());
    assertTrue(error.getMessage().contains("no table was replaced"), error.getMessage());
  }
}
