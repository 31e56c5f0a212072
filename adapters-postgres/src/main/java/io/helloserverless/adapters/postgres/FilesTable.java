package io.helloserverless.adapters.postgres;

import io.helloserverless.core.domain.ETag;
import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** The {@code files} table as created by the migrations, declared by hand instead of generated. */
final class FilesTable {

    static final String NAME_OF_TABLE = "files";

    static final Table<Record> FILES = DSL.table(DSL.name(NAME_OF_TABLE));
    static final Field<String> NAME = column("name", SQLDataType.VARCHAR);
    static final Field<Long> SIZE = column("size", SQLDataType.BIGINT);
    static final Field<String> SHA256 = column("sha256", SQLDataType.VARCHAR);
    static final Field<String> ETAG = column("etag", SQLDataType.VARCHAR);
    static final Field<Long> VERSION = column("version", SQLDataType.BIGINT);
    static final Field<Instant> CREATED_AT = column("created_at", SQLDataType.INSTANT);
    static final Field<Instant> UPDATED_AT = column("updated_at", SQLDataType.INSTANT);
    static final Field<Instant> EXPIRES_AT = column("expires_at", SQLDataType.INSTANT);
    static final Field<String> BLOB_KEY = column("blob_key", SQLDataType.VARCHAR);

    static final List<Field<?>> COLUMNS =
            List.of(NAME, SIZE, SHA256, ETAG, VERSION, CREATED_AT, UPDATED_AT, EXPIRES_AT, BLOB_KEY);

    private FilesTable() {
    }

    /** Every column but the key, with the values of {@code file}. */
    static Map<Field<?>, Object> revisionColumns(FileMetadata file) {
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        values.put(SIZE, file.size());
        values.put(SHA256, file.sha256());
        values.put(ETAG, file.etag().id());
        values.put(VERSION, file.version());
        values.put(CREATED_AT, file.createdAt());
        values.put(UPDATED_AT, file.updatedAt());
        values.put(EXPIRES_AT, file.expiresAt());
        values.put(BLOB_KEY, file.blobKey().value());
        return values;
    }

    static FileMetadata toFile(Record row) {
        return new FileMetadata(
                FileName.of(row.get(NAME)),
                row.get(SIZE),
                row.get(SHA256),
                new ETag(row.get(ETAG)),
                row.get(VERSION),
                row.get(CREATED_AT),
                row.get(UPDATED_AT),
                row.get(EXPIRES_AT),
                new BlobKey(row.get(BLOB_KEY)));
    }

    /** {@code file} as a one-row result of {@link #COLUMNS}, as the database would return it. */
    static org.jooq.Result<Record> row(org.jooq.DSLContext db, FileMetadata file) {
        org.jooq.Result<Record> result = db.newResult(COLUMNS);
        Record record = db.newRecord(COLUMNS);
        record.set(NAME, file.name().value());
        revisionColumns(file).forEach((column, value) -> set(record, column, value));
        result.add(record);
        return result;
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(Record record, Field<T> column, Object value) {
        record.set(column, (T) value);
    }

    private static <T> Field<T> column(String name, org.jooq.DataType<T> type) {
        return DSL.field(DSL.name(NAME_OF_TABLE, name), type.nullable(false));
    }
}
