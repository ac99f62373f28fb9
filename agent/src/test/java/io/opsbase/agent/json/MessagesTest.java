package io.opsbase.agent.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opsbase.agent.state.AgentState;
import io.opsbase.protocol.Acknowledgement;
import io.opsbase.protocol.EnrollRequest;
import io.opsbase.protocol.EnrollResponse;
import io.opsbase.protocol.HostFingerprint;
import io.opsbase.protocol.InventoryResponse;
import io.opsbase.protocol.Problem;
import io.opsbase.protocol.ProtocolJson;
import io.opsbase.protocol.ProtocolVersion;
import io.opsbase.protocol.SignedTask;
import io.opsbase.protocol.Task;
import io.opsbase.protocol.TaskBatchProof;
import io.opsbase.protocol.TaskOutputRequest;
import io.opsbase.protocol.TaskPollResponse;
import io.opsbase.protocol.signing.TaskSigner;

/** The agent's own JSON mapping against Jackson's ({@code ProtocolJson}), the server's side of the wire. */
class MessagesTest {

    /** Every control character, the escapes, quotes, a slash, non-ASCII and a surrogate pair. */
    private static final String AWKWARD;

    static {
        var text = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            text.append(c);
        }
        AWKWARD = text.append("é中\uD83D\uDE00/\\\"\u2028\u00A0").toString();
    }

    private static final Task TASK = new Task("task-1", "agent-7", "ping", Map.of("b", AWKWARD, "a", "1", "zz", ""),
            Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:05:00.123456789Z"));

    @Test
    void signsOverTheSameBytesAsTheProtocolsTaskSigner() {
        assertThat(new String(Messages.taskSignedBytes(TASK), StandardCharsets.UTF_8))
                .isEqualTo(new String(TaskSigner.canonical(TASK), StandardCharsets.UTF_8));
        var plain = new Task("t", "a", "ping", Map.of(), Instant.parse("2026-01-01T00:00:00.100Z"), Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(Messages.taskSignedBytes(plain)).isEqualTo(TaskSigner.canonical(plain));
    }

    @Test
    void readsTaskPollResponsesAsJacksonWritesThem() {
        var response = new TaskPollResponse(List.of(new SignedTask(TASK, "c2lnbmF0dXJl"), new SignedTask(TASK, "other")));

        assertThat(Messages.taskPollResponse(ProtocolJson.write(response))).isEqualTo(response);
        assertThat(Messages.taskPollResponse("{\"tasks\":[]}".getBytes(StandardCharsets.UTF_8)).tasks()).isEmpty();
        assertThat(Messages.taskPollResponse("{\"tasks\":null,\"future\":{\"x\":[1,2.5e3,true]}}".getBytes(StandardCharsets.UTF_8))
                .tasks()).as("unknown members are ignored").isEmpty();
    }

    @Test
    void readsBatchSignedTasksAsJacksonWritesThem() {
        var proof = new TaskBatchProof(3, 5, List.of("AAEC", "AwQF"));
        var response = new TaskPollResponse(List.of(new SignedTask(TASK, "c2ln", proof), new SignedTask(TASK, "c2ln")));

        assertThat(Messages.taskPollResponse(ProtocolJson.write(response))).isEqualTo(response);
    }

    @Test
    void keepsAMalformedBatchProofForVerificationToRefuseInsteadOfDroppingThePoll() {
        var json = """
                {"tasks":[{"task":{"taskId":"t","agentId":"a","type":"ping","parameters":{},"issuedAt":"2026-11-28T10:00:00Z",
                "expiresAt":"2026-11-28T10:05:00Z"},"signature":"c2ln","batch":{"leafIndex":"x","path":[1,"AAEC",null]}}]}""";

        var proof = Messages.taskPollResponse(json.getBytes(StandardCharsets.UTF_8)).tasks().getFirst().batch();

        assertThat(proof.leafIndex()).isNegative();
        assertThat(proof.treeSize()).isZero();
        assertThat(proof.path()).containsExactly(null, "AAEC", null);
    }

    @Test
    void writesTaskOutputAsJacksonReadsItBack() {
        var output = new TaskOutputRequest("task-1-output-0", "task-1", 0, AWKWARD, "", true, 127, Instant.parse("2026-11-28T10:00:00Z"),
                Instant.parse("2026-11-28T10:00:01.5Z"));
        var unfinished = new TaskOutputRequest("k", "task-1", 3, null, null, false, null, null, null);

        assertThat(ProtocolJson.read(Messages.taskOutputRequest(output), TaskOutputRequest.class)).isEqualTo(output);
        assertThat(ProtocolJson.read(Messages.taskOutputRequest(unfinished), TaskOutputRequest.class)).isEqualTo(unfinished);
        assertThat(new String(Messages.taskOutputRequest(output), StandardCharsets.UTF_8))
                .isEqualTo(new String(ProtocolJson.write(output), StandardCharsets.UTF_8));
    }

    @Test
    void writesEnrollmentRequestsJacksonReadsAndReadsItsResponses() {
        var request = new EnrollRequest("oet_token", new HostFingerprint("mid", null, "SN1", "uuid", List.of("aa:bb", "cc:dd"), "web-1"),
                "1.2.3", ProtocolVersion.CURRENT);
        var response = new EnrollResponse("agent-1", "c2VjcmV0c2VjcmV0c2VjcmV0", "key", EnrollResponse.Approval.PENDING,
                new ProtocolVersion(1, 4));

        assertThat(ProtocolJson.read(Messages.enrollRequest(request), EnrollRequest.class)).isEqualTo(request);
        var read = Messages.enrollResponse(ProtocolJson.write(response));
        assertThat(read.agentId()).isEqualTo("agent-1");
        assertThat(read.secret()).isEqualTo(response.secret());
        assertThat(read.serverPublicKey()).isEqualTo("key");
        assertThat(read.approval()).isEqualTo(EnrollResponse.Approval.PENDING);
        assertThat(read.protocolVersion()).isEqualTo(new ProtocolVersion(1, 4));
    }

    @Test
    void readsAcknowledgementsAndProblems() {
        var ack = new Acknowledgement("k-1", Acknowledgement.Status.DUPLICATE, Instant.parse("2026-11-28T10:00:00.001Z"));
        var problem = new Problem(Problem.SIGNATURE_TYPE, "Agent request refused", 401, "the timestamp is 412 s behind", "STALE_TIMESTAMP",
                -412L);

        assertThat(Messages.acknowledgement(ProtocolJson.write(new InventoryResponse(ack)))).isEqualTo(ack);
        assertThat(Messages.acknowledgement("{}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(Messages.problem(ProtocolJson.write(problem))).isEqualTo(problem);
        assertThat(Messages.problem("{\"title\":\"Not Found\",\"status\":404}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Problem(null, "Not Found", 404, null, null, null));
    }

    @Test
    void keepsTheAgentStateFileReadableBothWays() {
        var state = new AgentState("https://ops.example.net", "agent-1", "c2VjcmV0c2VjcmV0c2VjcmV0", "key");

        assertThat(Messages.agentState(Messages.agentState(state))).isEqualTo(state);
        assertThat(Messages.agentState(ProtocolJson.write(state))).as("a file written by an earlier agent").isEqualTo(state);
        assertThat(ProtocolJson.read(Messages.agentState(state), AgentState.class)).isEqualTo(state);
    }

    @Test
    void parsesWhatJacksonWritesAndRefusesBrokenJson() {
        var value = Map.of("text", AWKWARD, "list", List.of(1L, -2L, true, false), "nested", Map.of("x", 1.5));

        assertThat(Json.parse(ProtocolJson.write(value))).isEqualTo(value);
        assertThat(new String(Json.write(Map.of("s", AWKWARD)), StandardCharsets.UTF_8))
                .isEqualTo(new String(ProtocolJson.write(Map.of("s", AWKWARD)), StandardCharsets.UTF_8));
        assertThat(Json.parse(" { \"a\" : [ ] , \"b\" : \"\\u00e9\\/\" } ".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Map.of("a", List.of(), "b", "é/"));
        for (var broken : List.of("", "{", "{\"a\":}", "[1,]", "\"open", "{\"a\":1} x", "tru", "{\"a\" 1}", "\"\\x\"")) {
            assertThatThrownBy(() -> Json.parse(broken.getBytes(StandardCharsets.UTF_8))).as(broken)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
