# frozen_string_literal: true

Rails.application.routes.draw do
  post "/api/graphql", to: "graphql#execute"
  get "/oauth/discovery/keys", to: "jwks#show"
  get "/-/jwks", to: "jwks#show"
  post "/api/v4/projects/:project_id/pipelines", to: "pipelines#create"
  post "/api/v4/jobs/request", to: "jobs#request_job"
  get "/api/v4/jobs/secrets", to: "jobs#secrets"
end
