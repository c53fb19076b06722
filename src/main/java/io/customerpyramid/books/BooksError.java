package io.customerpyramid.books;

/** The run's money does not reconcile: a defect, not bad input; no table was replaced. */
public final class BooksError extends RuntimeException {

  public BooksError(String message) {
    super(message);
  }
}
