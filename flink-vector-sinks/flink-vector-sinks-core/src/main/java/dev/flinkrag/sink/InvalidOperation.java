package dev.flinkrag.sink;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import javax.annotation.Nullable;

import java.util.Map;

/**
 * A record {@link VectorOperationValidator} kept away from a sink, because the store would refuse it.
 *
 * @param record the input record, unchanged, to re-send once it is fixed
 * @param id the entry id the record names, or {@code null} when it has none
 * @param reason what is wrong, naming the id and the field
 */
@PublicEvolving
public record InvalidOperation<IN>(IN record, @Nullable String id, String reason) {

    /** Flink's type for invalid records of {@code recordType}, so no generic (Kryo) serializer is used. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <IN> TypeInformation<InvalidOperation<IN>> typeOf(TypeInformation<IN> recordType) {
        return (TypeInformation) Types.POJO(InvalidOperation.class, Map.of(
                "record", recordType,
                "id", Types.STRING,
                "reason", Types.STRING));
    }
}
