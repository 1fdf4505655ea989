package dev.flinkrag.pgvector;

import org.apache.flink.annotation.PublicEvolving;

/** The distance an HNSW index (and a search) orders by. */
@PublicEvolving
public enum PgVectorDistance {
    COSINE("vector_cosine_ops", "<=>"),
    L2("vector_l2_ops", "<->"),
    INNER_PRODUCT("vector_ip_ops", "<#>");

    private final String operatorClass;
    private final String operator;

    PgVectorDistance(String operatorClass, String operator) {
        this.operatorClass = operatorClass;
        this.operator = operator;
    }

    String operatorClass() {
        return operatorClass;
    }

    /** pgvector's distance operator for this metric. */
    String operator() {
        return operator;
    }
}
