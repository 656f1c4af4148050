# frozen_string_literal: true

module PipelineGuard
  module SLSA
    # Incremental digests (`update(chunk)`, `finish` => {alg => hex}).
    class Digester
      def self.new(algorithms: DEFAULT_ALGORITHMS, limit: MAX_ARTIFACT_BYTES)
        _new(algorithms.map(&:to_s), Integer(limit))
      end
    end

    class << self
      # Digests of an artifact: a path (String or Pathname), an IO (read to
      # its end), streamed; `{"sha256" => hex, "sha512" => hex}` by default.
      # Raises ArtifactTooLarge above 100 MB, ProvenanceError when the path
      # cannot be read.
      def digest(artifact, algorithms: DEFAULT_ALGORITHMS, limit: MAX_ARTIFACT_BYTES)
        algorithms = algorithms.map(&:to_s)
        case artifact
        when Pathname then _digest_file(artifact.to_s, algorithms, Integer(limit))
        when String then _digest_file(artifact, algorithms, Integer(limit))
        else digest_io(artifact, algorithms, limit)
        end
      end

      # Digests of bytes in memory.
      def digest_bytes(bytes, algorithms: DEFAULT_ALGORITHMS, limit: MAX_ARTIFACT_BYTES)
        digester = Digester.new(algorithms:, limit:)
        digester.update(String(bytes))
        digester.finish
      end

      private

      def digest_io(io, algorithms, limit)
        raise TypeError, "artifact must be a path or an IO, not #{io.class}" unless io.respond_to?(:read)

        digester = Digester.new(algorithms:, limit:)
        buffer = +""
        digester.update(buffer) while io.read(CHUNK, buffer)
        digester.finish
      end
    end
  end
end
