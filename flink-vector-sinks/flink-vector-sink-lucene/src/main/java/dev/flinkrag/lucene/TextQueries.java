package dev.flinkrag.lucene;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A BM25 query for free text: the text is split into terms by the index's own analyzer and any term may
 * match. No query syntax is parsed, so a user's question with quotes, colons or dashes is never an error.
 */
final class TextQueries {

    private TextQueries() {}

    static Query anyTermOf(Analyzer analyzer, String field, String text) {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream tokens = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                terms.add(term.toString());
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot analyse the query text", e);
        }
        if (terms.isEmpty()) {
            return new MatchNoDocsQuery("no terms in the query text");
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (String term : terms) {
            query.add(new TermQuery(new Term(field, term)), BooleanClause.Occur.SHOULD);
        }
        return query.build();
    }
}
