package io.opsbase.cmdb;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.opsbase.platform.InvalidInputException.FieldViolation;

/**
 * What an import did, or — for a dry run or a rejected file — would do. {@code rows} counts data
 * rows (the header excluded); {@code errors} lists every bad row by its line in the file (the
 * header is line 1), each with its field errors. {@code committed} is true only when the rows were
 * written.
 */
public record CiImportReport(
        @JsonProperty("class") String className,
        boolean dryRun,
        boolean committed,
        int rows,
        int created,
        int updated,
        int unchanged,
        List<LineErrors> errors) {

    public CiImportReport {
        errors = List.copyOf(errors);
    }

    /** The field errors of one line; fields are CSV column names ({@code name}, {@code cpu_count}, {@code id}…). */
    public record LineErrors(int line, List<FieldViolation> errors) {
    }

    public boolean valid() {
        return errors.isEmpty();
    }
}
