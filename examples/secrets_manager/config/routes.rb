# frozen_string_literal: true

Rails.application.routes.draw do
  post "/api/graphql", to: "graphql#execute"
  get "/oauth/discovery/keys", to: "jwks#show"
  get "/-/jwks", to: "jwks#show"
  post "/api/v4/projects/:project_id/pipelines", to: "pipelines#create"
  post "/api/v4/jobs/request", to: "jobs#request_job"
  get "/api/v4/jobs/secrets", to: "jobs#secrets"

  # --- Attestations (GitLab's API::SupplyChain::Attestations, job artifacts, the platform key) ---
  scope format: false, constraints: { id: %r{[^/]+} } do
    get "/api/v4/projects/:id/attestations/:attestation_iid/download", to: "attestations#download",
                                                                       constraints: { attestation_iid: /\d+/ }
    get "/api/v4/projects/:id/attestations/:subject_digest", to: "attestations#index"
    post "/api/v4/projects/:id/attestations", to: "attestations#create"
    post "/api/v4/jobs/:id/artifacts", to: "job_artifacts#create"
    put "/api/v4/jobs/:id", to: "job_artifacts#finish"
  end
  get "/-/attestations/keys", to: "attestations#keys"
  # --- end attestations ---
  # --- OpenBao audit events ---
  post "/api/v4/internal/secrets_manager/audit_logs", to: Internal::SecretsManagerAuditLogs
  get "/api/v4/projects/:id/audit_events", to: "audit_events#project"
  get "/api/v4/groups/:id/audit_events", to: "audit_events#group"
  # --- end OpenBao audit events ---
end
