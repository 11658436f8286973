package io.vigil.job.io;

/** A model announcement inside the job (decoded from {@code ModelAnnouncement}). */
public class ModelUpdate {

    public String modelId;
    public String version;
    public String uri;
    public String manifestSha256;
    public long publishedAt;

    public ModelUpdate() {}

    public ModelUpdate(String modelId, String version, String uri, String manifestSha256, long publishedAt) {
        this.modelId = modelId;
        this.version = version;
        this.uri = uri;
        this.manifestSha256 = manifestSha256;
        this.publishedAt = publishedAt;
    }

    @Override
    public String toString() {
        return modelId + "/" + version + " at " + uri;
    }
}
