package io.customerpyramid.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Reads a rendered report page back: its embedded charts, migration cells and escaped text. */
final class ReportPageReading {

  private ReportPageReading() {}

  private static final Pattern PNG = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
  private static final Pattern CELL =
      Pattern.compile("<td class=\"cell[^\"]*\" data-from=\"([^\"]*)\" data-to=\"([^\"]*)\"[^>]*>([0-9,]+)");

  static List<BufferedImage> images(String html) {
    List<BufferedImage> images = new ArrayList<>();
    Matcher m = PNG.matcher(html);
    while (m.find()) {
      try {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
        assertNotNull(image, "embedded image " + images.size() + " decodes as PNG");
        images.add(image);
      } catch (IOException e) {
        throw new AssertionError("embedded image " + images.size() + " does not decode", e);
      }
    }
    return images;
  }

  /** The cells of one migration table: "from>to" to customers. */
  static Map<String, Long> cells(String html, String tableId) {
    int start = html.indexOf("<table class=\"migration\" id=\"" + tableId + "\"");
    assertTrue(start >= 0, "table " + tableId + " present");
    String table = html.substring(start, html.indexOf("</table>", start));
    Map<String, Long> cells = new HashMap<>();
    Matcher m = CELL.matcher(table);
    while (m.find()) {
      cells.put(m.group(1) + ">" + m.group(2), Long.parseLong(m.group(3).replace(",", "")));
    }
    return cells;
  }

  /** Text as the page holds it: HTML-escaped, quotes included. */
  static String escaped(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }

  static void assertSelfContained(String html) {
    assertFalse(html.contains("<script"), "no script");
    assertFalse(html.contains("<link"), "no linked resource");
    assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "no external reference");
  }
}
