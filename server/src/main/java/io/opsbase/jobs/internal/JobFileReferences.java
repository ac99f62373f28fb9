package io.opsbase.jobs.internal;

import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.opsbase.files.FileReferences;

/**
 * Files the jobs feature still needs: named by a file step of a template's current version, or of
 * a run that has not finished. The file store refuses to delete them (409 file-in-use).
 */
@Component
class JobFileReferences implements FileReferences {

    private final JdbcClient jdbc;

    JobFileReferences(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<String> referencesTo(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            return List.of();
        }
        String quoted = "%\"" + sha256 + "\"%"; // a JSON string value: 64 hex characters need no escaping
        List<String> out = new ArrayList<>();
        jdbc.sql("""
                select t.name from job_templates t
                join job_template_versions v on v.template_id = t.id and v.version = t.current_version
                where t.deleted_at is null and v.definition like :q order by t.id""")
                .param("q", quoted).query(String.class).list()
                .forEach(name -> out.add("job template " + name));
        jdbc.sql("select id from job_runs where finished_at is null and plan like :q order by id")
                .param("q", quoted).query(Long.class).list()
                .forEach(id -> out.add("job run " + id));
        // A file a source host uploaded for a run that is still going: its targets are about to fetch it.
        jdbc.sql("""
                select s.run_id from job_file_sources s join job_runs r on r.id = s.run_id
                where s.sha256 = :h and r.finished_at is null order by s.run_id""")
                .param("h", sha256).query(Long.class).list()
                .forEach(id -> out.add("job run " + id + " (uploaded by its source host)"));
        return out;
    }
}
