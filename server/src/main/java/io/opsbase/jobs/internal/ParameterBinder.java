package io.opsbase.jobs.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.opsbase.jobs.ParameterSpec;
import io.opsbase.platform.InvalidInputException;
import io.opsbase.platform.InvalidInputException.FieldViolation;
import io.opsbase.platform.SecretCipher;

/**
 * Checks a run's parameter values against their specs, fills in defaults, and keeps secret values
 * sealed ({@link SecretCipher}) everywhere but in the script sent to the agent. The stored form is
 * a map of name → value in which secret values are ciphertext.
 */
@Component
public class ParameterBinder {

    public static final String MASK = "******";

    private final SecretCipher cipher;

    ParameterBinder(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** The values to run with, checked; any problem is a 422 with one entry per parameter. */
    public Map<String, String> bind(List<ParameterSpec> specs, Map<String, String> given) {
        Map<String, String> in = given == null ? Map.of() : given;
        List<FieldViolation> violations = new ArrayList<>();
        for (String name : in.keySet()) {
            if (specs.stream().noneMatch(s -> s.name().equals(name))) {
                violations.add(new FieldViolation("parameters." + name, "is not a parameter of this job"));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (ParameterSpec spec : specs) {
            String v = in.get(spec.name());
            if (v == null || v.isEmpty()) {
                v = spec.defaultValue();
            }
            if (v == null || v.isEmpty()) {
                if (spec.required()) {
                    violations.add(new FieldViolation("parameters." + spec.name(), "is required"));
                }
                values.put(spec.name(), "");
                continue;
            }
            String problem = spec.check(v);
            if (problem != null) {
                violations.add(new FieldViolation("parameters." + spec.name(), problem));
            }
            values.put(spec.name(), v);
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return values;
    }

    public Map<String, String> seal(List<ParameterSpec> specs, Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>(values);
        specs.stream().filter(ParameterSpec::secret).forEach(s -> {
            String v = out.get(s.name());
            if (v != null && !v.isEmpty()) {
                out.put(s.name(), cipher.encrypt(v));
            }
        });
        return out;
    }

    public Map<String, String> unseal(List<ParameterSpec> specs, Map<String, String> stored) {
        Map<String, String> out = new LinkedHashMap<>(stored);
        specs.stream().filter(ParameterSpec::secret).forEach(s -> {
            String v = out.get(s.name());
            if (v != null && !v.isEmpty()) {
                out.put(s.name(), cipher.decrypt(v));
            }
        });
        return out;
    }

    public Map<String, String> masked(List<ParameterSpec> specs, Map<String, String> stored) {
        Map<String, String> out = new LinkedHashMap<>(stored);
        specs.stream().filter(ParameterSpec::secret).forEach(s -> {
            if (out.get(s.name()) != null && !out.get(s.name()).isEmpty()) {
                out.put(s.name(), MASK);
            }
        });
        return out;
    }

    /** The secret values of a run, to mask wherever output shows them. */
    public List<String> secretValues(List<ParameterSpec> specs, Map<String, String> stored) {
        List<String> secrets = new ArrayList<>();
        Map<String, String> plain = unseal(specs, stored);
        specs.stream().filter(ParameterSpec::secret).map(s -> plain.get(s.name()))
                .filter(v -> v != null && !v.isEmpty()).forEach(secrets::add);
        return secrets;
    }

    /** {@code {{name}}} → value. */
    public static String render(String script, Map<String, String> values) {
        String out = script;
        for (var e : values.entrySet()) {
            out = out.replace("{{" + e.getKey() + "}}", e.getValue());
        }
        return out;
    }

    public static String mask(String text, List<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        return out;
    }
}
