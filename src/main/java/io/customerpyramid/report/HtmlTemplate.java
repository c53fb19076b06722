package io.customerpyramid.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A Mustache page template, {@code NAME.mustache} in the resources under {@link #ROOT}. The engine HTML-escapes
 * every {@code {{value}}}, quotes included, so no report escapes text by hand; the only unescaped values are image
 * data URIs ({@code {{{dataUri}}}}), which are base64 and cannot hold markup.
 */
public final class HtmlTemplate {

  /** Under this package, so that the job jar holds nothing outside its own package but the relocated libraries. */
  public static final String ROOT = "io/customerpyramid/report/templates";

  private static final MustacheFactory TEMPLATES = new DefaultMustacheFactory(ROOT);

  private final Mustache mustache;

  private HtmlTemplate(Mustache mustache) {
    this.mustache = mustache;
  }

  /** The template NAME.mustache; fails with the name when it is not on the class path. */
  public static HtmlTemplate named(String name) {
    return new HtmlTemplate(TEMPLATES.compile(name + ".mustache"));
  }

  /** The page for a view: its record components, fields and getters are the template's names. */
  public String render(Object view) {
    StringWriter page = new StringWriter();
    try {
      mustache.execute(page, view).flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot render the template " + mustache.getName(), e);
    }
    return page.toString();
  }

  /** The page as UTF-8 bytes, for writing beside the tables. */
  public byte[] renderBytes(Object view) {
    return render(view).getBytes(StandardCharsets.UTF_8);
  }
}
