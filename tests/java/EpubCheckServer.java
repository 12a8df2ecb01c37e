// One JVM for many books: reads "<mode><TAB>path" lines on stdin, mode "epub" or "exp", or
// "epub-usage" / "exp-usage" for what `epubcheck -u` reports (usage messages too), and answers,
// for each, the messages of the real EPUBCheck validator (its Java API, the classes the
// epubcheck command runs) followed by an end line.  Starting a JVM costs seconds; a warm one
// validates a book in a fraction of one.
//
// Answer lines, tab-separated, tabs and line breaks in texts replaced by spaces:
//   M <severity> <id> <path>(<line>,<column>) <text>
//   E <fatals> <errors> <warnings> <infos> <usages>
//
// Expanded folders are zipped the way `epubcheck --mode exp` zips them (its Archive class),
// but into a private temporary file, so nothing is written beside the folder.

import com.adobe.epubcheck.api.EPUBLocation;
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.api.MasterReport;
import com.adobe.epubcheck.messages.Message;
import com.adobe.epubcheck.util.Archive;
import com.adobe.epubcheck.util.FeatureEnum;
import com.adobe.epubcheck.util.ReportingLevel;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

public final class EpubCheckServer {
  private static PrintStream out;

  /** Collects what the command-line tool would print: at its default level (infos and up), or with
   *  usage messages too, as `-u` sets ReportingLevel.Usage in the command. */
  private static final class Collector extends MasterReport {
    Collector(String name, boolean usage) {
      setEpubFileName(name);
      setReportingLevel(usage ? ReportingLevel.Usage : ReportingLevel.Info);
    }

    @Override
    public void message(Message message, EPUBLocation location, Object... args) {
      String where = location.getPath() + "(" + location.getLine() + "," + location.getColumn() + ")";
      out.println("M\t" + message.getSeverity() + "\t" + message.getID() + "\t" + clean(where) + "\t"
          + clean(message.getMessage(args)));
    }

    @Override
    public void info(String resource, FeatureEnum feature, String value) {}

    @Override
    public int generate() {
      return 0;
    }

    @Override
    public void initialize() {}
  }

  private static String clean(String text) {
    return text == null ? "" : text.replaceAll("[\\t\\r\\n]+", " ");
  }

  private static void check(String mode, String path) throws Exception {
    boolean usage = mode.endsWith("-usage");
    mode = mode.replace("-usage", "");
    Collector report = new Collector(path, usage);
    File target = new File(path);
    File scratch = null;
    try {
      if (mode.equals("exp")) {
        scratch = Files.createTempDirectory("epubcheck-exp-").toFile();
        File zipped = new File(scratch, target.getName() + ".epub");
        new Archive(target.getPath(), true).createArchive(zipped);
        target = zipped;
      }
      new EpubCheck(target, report).validate();
    } catch (Exception | Error failure) {
      out.println("M\tFATAL\tHELPER\t" + clean(path) + "\t" + clean(failure.toString()));
    } finally {
      if (scratch != null) {
        for (File f : scratch.listFiles()) {
          f.delete();
        }
        scratch.delete();
      }
    }
    out.println("E\t" + report.getFatalErrorCount() + "\t" + report.getErrorCount() + "\t"
        + report.getWarningCount() + "\t" + report.getInfoCount() + "\t" + report.getUsageCount());
    out.flush();
  }

  public static void main(String[] args) throws Exception {
    out = new PrintStream(System.out, false, "UTF-8");
    System.setOut(System.err);  // anything the validator prints itself stays out of the answers
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] parts = line.split("\t", 2);
      check(parts[0], parts[1]);
    }
  }
}
