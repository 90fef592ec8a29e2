package dev.relay.bench.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Socket.IO v5 packet heads as the protocol document spells them. */
class SocketIoPacketTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0/events,{\"token\":\"t\"}|0|0|/events|-1|{\"token\":\"t\"}|",
                "0|0|0|/|-1||",
                "2[\"hello\",1]|2|0|/|-1|[\"hello\",1]|hello",
                "2/events,13[\"set_keywords\",{}]|2|0|/events|13|[\"set_keywords\",{}]|set_keywords",
                "51-/events,[\"binary_data\",{\"_placeholder\":true,\"num\":0}]|5|1|/events|-1|[\"binary_data\","
                        + "{\"_placeholder\":true,\"num\":0}]|binary_data",
                "52-/events,456[\"two\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":"
                        + "1}]|5|2|/events|456|[\"two\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,"
                        + "\"num\":1}]|two",
                "1/events,|1|0|/events|-1||",
            })
    void parsesPacketHeads(String text, int type, int attachments, String nsp, long ack, String json, String event) {
        SocketIoPacket p = SocketIoPacket.parse(text);
        assertThat(p).isNotNull();
        assertThat(p.type()).isEqualTo(type);
        assertThat(p.attachments()).isEqualTo(attachments);
        assertThat(p.namespace()).isEqualTo(nsp);
        assertThat(p.ackId()).isEqualTo(ack);
        assertThat(p.json()).isEqualTo(json == null ? "" : json);
        assertThat(p.eventName()).isEqualTo(event == null ? "" : event);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "7", "x", "5/events,[]", "5x-/events,[]", "-1"})
    void rejectsMalformedHeads(String text) {
        assertThat(SocketIoPacket.parse(text)).isNull();
    }
}
