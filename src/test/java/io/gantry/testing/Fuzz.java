package io.gantry.testing;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.GantryException;
import io.gantry.core.MediaTypes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * A seeded fuzzer for the hostile-input tests (issue 14, item 9): runs rounds with fresh,
 * reproducible seeds for a bounded time, allowing only {@link GantryException} out; and a JSON
 * mutator (fields removed, replaced by values of the wrong type, huge strings and arrays, wrong
 * digests and media types; now and then raw byte damage).
 */
public final class Fuzz {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String D1 = "sha256:" + "a".repeat(64);

    private Fuzz() {
    }

    /** Runs {@code round} with fresh seeds until the budget is spent; any exception but the allowed ones fails. */
    public static int run(long budgetMs, long baseSeed, String target, Round round) {
        long end = System.nanoTime() + budgetMs * 1_000_000;
        Random seeds = new Random(baseSeed ^ target.hashCode());
        int rounds = 0;
        while (System.nanoTime() < end) {
            long seed = seeds.nextLong();
            try {
                round.run(new Random(seed));
            } catch (GantryException expected) {
                // a typed, worded refusal: what hostile input should get
            } catch (Throwable t) {
                fail(target + " threw " + t + " for seed " + seed, t);
            }
            rounds++;
        }
        return rounds;
    }

    @FunctionalInterface
    public interface Round {
        void run(Random random) throws Exception;
    }

    private static JsonNode randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 40 ? 11 : 13)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(-1);
            case 3 -> NODES.numberNode(Long.MAX_VALUE);
            case 4 -> NODES.numberNode(1e300);
            case 5 -> NODES.textNode("");
            case 6 -> NODES.textNode("x".repeat(random.nextInt(5000)));
            case 7 -> NODES.textNode(random.nextBoolean() ? "sha256:zz" : D1);
            case 8 -> NODES.textNode(random.nextBoolean() ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST);
            case 9 -> NODES.arrayNode();
            case 10 -> NODES.objectNode();
            case 11 -> NODES.arrayNode().add(randomValue(random, depth + 1)).add(NODES.nullNode()).add(1);
            default -> NODES.objectNode().set(random.nextBoolean() ? "digest" : "platform", randomValue(random, depth + 1));
        };
    }

    /** Every container node of {@code root}, to pick one to mutate. */
    private static void containers(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.forEach(child -> containers(child, into));
        }
    }

    /** {@code seed} (JSON) with one to four structural mutations, and now and then raw byte damage. */
    public static byte[] mutateJson(Random random, String seed) throws Exception {
        JsonNode root = JSON.readTree(seed);
        for (int k = random.nextInt(4); k >= 0; k--) {
            List<JsonNode> all = new ArrayList<>();
            containers(root, all);
            JsonNode target = all.get(random.nextInt(all.size()));
            if (target instanceof ObjectNode object && object.size() > 0) {
                List<String> names = new ArrayList<>();
                Iterator<String> it = object.fieldNames();
                it.forEachRemaining(names::add);
                String name = names.get(random.nextInt(names.size()));
                switch (random.nextInt(3)) {
                    case 0 -> object.remove(name);
                    case 1 -> object.set(name, randomValue(random, 0));
                    default -> object.set(name + (random.nextBoolean() ? "" : "x"), object.get(name).deepCopy());
                }
            } else if (target instanceof ArrayNode array) {
                switch (random.nextInt(3)) {
                    case 0 -> {
                        if (array.size() > 0) {
                            array.remove(random.nextInt(array.size()));
                        }
                    }
                    case 1 -> array.add(randomValue(random, 0));
                    default -> {
                        for (int i = 0; i < random.nextInt(2000); i++) {
                            array.add(array.size() > 0 ? array.get(0).deepCopy() : NODES.nullNode());
                        }
                    }
                }
            }
        }
        byte[] bytes = JSON.writeValueAsBytes(root);
        if (random.nextInt(5) == 0) { // and now and then raw byte damage
            bytes = bytes.clone();
            int at = random.nextInt(bytes.length);
            if (random.nextBoolean()) {
                bytes[at] = (byte) random.nextInt(256);
            } else {
                bytes = java.util.Arrays.copyOf(bytes, at);
            }
        }
        return bytes;
    }

}
