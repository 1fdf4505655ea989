package dev.flinkrag.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of English-like prose: sentences of common words, paragraphs of one to seven
 * sentences, so paragraph sizes range from a few tokens to several chunk budgets.
 */
public final class Prose {

    private static final String[] WORDS = ("the river city council voted again on a plan to rebuild the old bridge "
            + "while engineers measured how much weight each span could carry after decades of floods and "
            + "traffic many residents argued that a new crossing would bring trade others feared the noise "
            + "would drive families away from quiet streets near the water in spring the mayor promised "
            + "an open meeting where experts explained steel cables concrete piers and the cost of delays "
            + "teachers brought students to watch surveyors mark the banks with bright paint farmers asked "
            + "whether trucks could reach the market before dawn shop owners counted customers every hour "
            + "historians found letters describing the first ferry that crossed during a storm children drew "
            + "maps of imaginary towers while reporters wrote about budgets contracts and hidden delays "
            + "eventually the council chose a design with wide paths for bicycles and a small garden at each end")
            .split(" ");

    private final Random random;

    public Prose(long seed) {
        this.random = new Random(seed);
    }

    public String sentence() {
        int length = 6 + random.nextInt(20);
        StringBuilder sentence = new StringBuilder();
        for (int i = 0; i < length; i++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            if (i == 0) {
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            } else {
                sentence.append(random.nextInt(12) == 0 ? ", " : " ");
            }
            sentence.append(word);
        }
        return sentence.append('.').toString();
    }

    public String paragraph() {
        int sentences = 1 + random.nextInt(7);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < sentences; i++) {
            parts.add(sentence());
        }
        return String.join(" ", parts);
    }

    public List<String> paragraphs(int count) {
        List<String> paragraphs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            paragraphs.add(paragraph());
        }
        return paragraphs;
    }

    public static String join(List<String> paragraphs) {
        return String.join("\n\n", paragraphs) + "\n";
    }

    public Random random() {
        return random;
    }
}
