# frozen_string_literal: true

# A pipeline job's side: `create` starts a job and returns its ID token
# (what the runner receives); `secrets` exchanges that token for the values
# of the secrets the job may read.
class JobsController < ApplicationController
  def create
    project = Project.find_by(id: params[:project_id])
    return head(:not_found) unless project && current_user && Authz.developer?(current_user, project)

    token = IdTokens.mint(project:, user: current_user, ref: params.require(:ref),
                          ref_type: params.fetch(:ref_type, "branch"), environment: params[:environment],
                          ref_protected: ActiveModel::Type::Boolean.new.cast(params[:ref_protected]) || false)
    render json: { id_token: token }, status: :created
  end

  def secrets
    claims = IdTokens.verify(bearer_token.to_s)
    project = Project.find_by(id: claims["project_id"].to_i)
    return render(json: { error: "project not found" }, status: :not_found) unless project

    names = ProjectAccess.for(project).pipeline_secrets(claims)
    render json: { secrets: SecretStore.current.read(project, names) }
  rescue PipelineGuard::JWT::DecodeError, PipelineGuard::OpenBao::AuthError,
         PipelineGuard::SecretsManager::InvalidRecord => e
    render json: { error: e.message }, status: :forbidden
  end
end
