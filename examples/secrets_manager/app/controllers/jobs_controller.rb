# frozen_string_literal: true

# A job's side. `request_job` is the runner's POST /api/v4/jobs/request: a
# registered runner takes the oldest pending job and receives its payload,
# ID token included. `secrets` exchanges that token for the values of the
# secrets the job may read (what OpenBao does behind the runner's login);
# `names[]` narrows the answer to the secrets the runner asks for. In
# OpenBao mode `secrets` refuses: the runner reads values from OpenBao
# itself (bin/runner), Rails never does.
class JobsController < ApplicationController
  def request_job
    runner = Ci::Runner.find_by_token(params[:token].to_s)
    return render(json: { message: "403 Forbidden" }, status: :forbidden) unless runner

    build = Ci::Build.transaction do
      Ci::Build.pending.order(:id).lock.first&.tap { |b| b.update!(status: "running", runner:) }
    end
    return head(:no_content) unless build

    render json: RunnerPayload.new(build).to_h, status: :created
  end

  OPENBAO_MODE = "secret values are served by OpenBao in OpenBao mode: the runner logs in with the job's ID " \
                 "token (the payload's inline_auth) and reads them itself; see bin/runner"

  before_action :refuse_in_openbao_mode, only: :secrets

  def secrets
    claims = IdTokens.verify(bearer_token.to_s)
    return group_secrets(claims) if params[:source].present?

    project = Project.find_by(id: claims["project_id"].to_i)
    return render(json: { error: "project not found" }, status: :not_found) unless project
    return render(json: { error: "secrets manager is not active" }, status: :forbidden) unless
      SecretsManagerStatus.active?(project)

    names = ProjectAccess.for(project).pipeline_secrets(claims)
    names &= Array(params[:names]).map(&:to_s) if params.key?(:names) # what the runner asks for, if named
    render json: { secrets: SecretStore.current.read(project, names) }
  rescue PipelineGuard::JWT::DecodeError, PipelineGuard::OpenBao::AuthError,
         PipelineGuard::SecretsManager::InvalidRecord, GroupPipelineAccess::Denied => e
    render json: { error: e.message }, status: :forbidden
  end

  private

  def refuse_in_openbao_mode
    render(json: { error: OPENBAO_MODE }, status: :conflict) if SecretStore.openbao?
  end

  # `source=group/<path>`: the group secrets the job may read, as the
  # group's pipeline login grants them (only for a project inside the group).
  def group_secrets(claims)
    match = RunnerPayload::GROUP_SOURCE.match(params[:source].to_s)
    group = match && Group.find_by(full_path: match[1])
    return render(json: { error: "group not found" }, status: :not_found) unless group
    return render(json: { error: "secrets manager is not active" }, status: :forbidden) unless
      SecretsManagerStatus.active?(group)

    names = GroupPipelineAccess.new(group).readable(claims)
    names &= Array(params[:names]).map(&:to_s) if params.key?(:names)
    render json: { secrets: group_values(group, names) }
  end

  def group_values(group, names)
    return SecretStore.current.read(group, names) unless SecretStore.current.is_a?(SecretStore::LocalStore)

    group.group_secrets.where(name: names).to_h { |s| [s.name, s.value] }
  end
end
