# frozen_string_literal: true

module SupplyChain
  # GitLab's SupplyChain::Attestation (table slsa_attestations): one
  # attestation per project, predicate kind and subject digest (the
  # artifact's SHA-256, lowercase hex), numbered per project (iid). `file`
  # is what a verifier downloads: the DSSE envelope the platform signed
  # (`signed_by` "platform") or the Sigstore bundle uploaded and verified on
  # arrival (`signed_by` "sigstore"). An `error` attestation has no file.
  class Attestation < ApplicationRecord
    self.table_name = "slsa_attestations"

    # GitLab keeps attestations two years.
    RETENTION = 2 * 365 * 24 * 3600
    SIGNERS = %w[platform sigstore].freeze

    belongs_to :project
    belongs_to :build, class_name: "Ci::Build", optional: true

    enum status: { success: 0, error: 1 }
    enum predicate_kind: { provenance: 0, sbom: 1 }

    validates :predicate_type, presence: true
    validates :subject_digest, presence: true, length: { minimum: 64, maximum: 255 }
    validates :subject_digest, uniqueness: { scope: %i[project_id predicate_kind] }
    validates :signed_by, inclusion: { in: SIGNERS }
    validates :file, presence: true, unless: :error?

    before_validation :assign_iid, on: :create

    scope :for_project, ->(project_id) { where(project_id:) }
    scope :with_digest, ->(digest) { where(subject_digest: digest) }

    private

    # Per-project numbering; the unique index turns a race into an error.
    def assign_iid
      self.iid ||= (self.class.where(project_id:).maximum(:iid) || 0) + 1
      self.expire_at ||= Time.now.utc + RETENTION
    end
  end
end
