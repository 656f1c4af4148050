# frozen_string_literal: true

module Types
  # An attestation of a project's artifact with the REST API's fields
  # (GitLab 19.4 has no GraphQL type for attestations), plus the result of
  # verifying it again when listed.
  class SupplyChainAttestationType < BaseObject
    graphql_name "SupplyChainAttestation"
    description "A provenance or SBOM attestation of a project's artifact."

    field :id, ID, null: false, description: "Global ID of the attestation."
    field :iid, Integer, null: false, description: "Number of the attestation within its project."
    field :build_id, Integer, null: true, description: "Job whose artifact the platform attested."
    field :status, String, null: false, description: "`success`, or `error` when the attestation failed."
    field :predicate_kind, String, null: false, description: "`provenance` or `sbom`."
    field :predicate_type, String, null: false, description: "The in-toto predicate type."
    field :subject_digest, String, null: false, description: "SHA-256 of the artifact (hex)."
    field :signed_by, String, null: false,
                              description: "`platform` (a DSSE envelope the platform signed) or `sigstore` (a bundle)."
    field :download_url, String, null: false, description: "Where the envelope or bundle is downloaded."
    field :verification_status, String, null: false,
                                        description: "`VERIFIED`, `FAILED` or `UNVERIFIED` (an error attestation)."
    field :verification_message, String, null: true, description: "Why verification failed."
    field :created_at, Types::TimeType, null: false, description: "When the attestation was created."
    field :expire_at, Types::TimeType, null: true, description: "When the attestation expires."

    def id = "gid://gitlab/SupplyChain::Attestation/#{object.id}"
    def download_url = Attestations.download_url(object)
    def verification_status = verification.status
    def verification_message = verification.message

    private

    def verification = (@verification ||= Attestations::Verification.check(object))
  end
end
