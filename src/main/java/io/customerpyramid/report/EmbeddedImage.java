package io.customerpyramid.report;

import java.util.Base64;

/**
 * A chart embedded in a page as a data URI, so the page needs nothing but itself.
 *
 * @param alt the image's text alternative (escaped by the template)
 * @param dataUri {@code data:image/png;base64,...}
 */
public record EmbeddedImage(String alt, String dataUri) {

  public static EmbeddedImage png(String alt, byte[] png) {
    return new EmbeddedImage(alt, "data:image/png;base64," + Base64.getEncoder().encodeToString(png));
  }
}
