# frozen_string_literal: true

# Every exception the gem raises on purpose is a PipelineGuard::Error, except
# Ruby's own ::TypeError when an argument has the wrong Ruby type (a Symbol
# where a String is needed, nil for a required value). Messages never carry
# key bytes, plaintext, tokens or ciphertext.
module PipelineGuard
  # Root of the gem's exceptions.
  class Error < StandardError; end

  # A bug inside the native extension (a caught Rust panic). Never expected;
  # please report it with the message.
  class InternalError < Error; end

  # An argument of the right type with a value that cannot be used: a
  # 13-byte nonce, convergent encryption without derivation, a missing
  # context for a derived key, a min_decryption_version out of range.
  class InvalidInput < Error; end

  # Key material that cannot be used: wrong length, bad export, bad PEM.
  class InvalidKeyError < Error; end

  # Ciphertext that does not decrypt with this key, context and associated
  # data. The message is OpenBao transit's own text for the same failure.
  class DecryptionError < Error; end

  # Encryption failed (random source or library failure).
  class EncryptionError < Error; end

  # JWT errors mirror the jwt gem's names and hierarchy, so `rescue
  # PipelineGuard::JWT::DecodeError` covers every verification failure.
  module JWT
    class EncodeError < PipelineGuard::Error; end
    class DecodeError < PipelineGuard::Error; end
    class VerificationError < DecodeError; end
    class ExpiredSignature < DecodeError; end
    class IncorrectAlgorithm < DecodeError; end
    class UnsupportedEcdsaCurve < IncorrectAlgorithm; end
    class ImmatureSignature < DecodeError; end
    class InvalidIssuerError < DecodeError; end
    class InvalidIatError < DecodeError; end
    class InvalidAudError < DecodeError; end
    class InvalidSubError < DecodeError; end
    class InvalidCritError < DecodeError; end
    class InvalidJtiError < DecodeError; end
    class InvalidPayload < DecodeError; end
    class MissingRequiredClaim < DecodeError; end
    class Base64DecodeError < DecodeError; end
    class JWKError < DecodeError; end
    # JwksCache could not fetch a usable key set (network, HTTP status,
    # size or key-count limit, bad JSON, OIDC issuer mismatch) and has no
    # keys it may still serve.
    class JwksFetchError < JWKError; end
  end

  module OpenBao
    # A policy document OpenBao would refuse (bad HCL/JSON, unknown capability).
    class PolicyError < PipelineGuard::Error; end
    # A JWT auth role OpenBao would refuse to store.
    class RoleError < PipelineGuard::Error; end
    # A login OpenBao would refuse; the message is OpenBao's own text.
    class AuthError < PipelineGuard::Error; end
    # Talking to a live OpenBao failed (HTTP status, connection).
    class ClientError < PipelineGuard::Error; end
    # PolicySync was asked for a decision while its policies are older than
    # its `max_staleness:` (or were never synced): it refuses to answer from
    # old policies.
    class StalePolicies < PipelineGuard::Error; end
    # ACL#authorize! refused a request; the message says which check failed.
    class PermissionDenied < PipelineGuard::Error; end
  end

  module RBAC
    # A role, member-role or membership definition that cannot be loaded.
    class DefinitionError < PipelineGuard::Error; end
  end

  module SecretsManager
    # A secret, scope or permission that the model rejects.
    class InvalidRecord < PipelineGuard::Error; end
  end

  # DSSE envelopes (lib/pipeline_guard/dsse.rb).
  module DSSE
    # An envelope that does not parse, has no (or too many) signatures, is
    # not signed by enough trusted keys, or has an unaccepted payload type.
    class VerificationError < PipelineGuard::Error; end
    # The signing primitive failed (random source or library failure).
    class SigningError < PipelineGuard::Error; end
  end

  # SLSA provenance (lib/pipeline_guard/slsa.rb).
  module SLSA
    # Job facts that cannot make a provenance statement.
    class ProvenanceError < PipelineGuard::Error; end
    # An artifact above the 100 MB subject limit (GitLab's).
    class ArtifactTooLarge < ProvenanceError; end

    # Provenance that does not meet an expectation. `expectation` names
    # it: :signature, :statement, :subject, :predicate_type, :build_type,
    # :source_uri, :source_ref, :commit or :builder_id.
    class VerificationError < PipelineGuard::Error
      attr_reader :expectation

      def initialize(message = nil, expectation: nil)
        super(message)
        @expectation = expectation
      end
    end
  end

  module Sigstore
    # A bundle that does not prove what was asked: it does not parse, or a
    # signature, proof, certificate, identity or digest check failed. The
    # message names the check.
    class VerificationError < PipelineGuard::Error; end
  end
end
