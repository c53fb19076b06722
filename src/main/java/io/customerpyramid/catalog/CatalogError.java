package io.customerpyramid.catalog;

/** The catalog cannot be used as configured: a metastore in use, a table from a newer job version. */
public final class CatalogError extends RuntimeException {

  public CatalogError(String message) {
    super(message);
  }

  public CatalogError(String message, Throwable cause) {
    super(message, cause);
  }
}
