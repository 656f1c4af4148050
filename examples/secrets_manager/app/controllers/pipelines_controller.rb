# frozen_string_literal: true

# POST /api/v4/projects/:project_id/pipelines { ref }: GitLab's "create a new
# pipeline" endpoint. Only the ref is taken from the request; unknown
# parameters (ref_type, environment, protected, ...) are ignored.
class PipelinesController < ApplicationController
  def create
    project = Project.find_by(id: params[:project_id])
    level = access_level(project)
    return render(json: { message: "404 Project Not Found" }, status: :not_found) if level.zero?
    return render(json: { message: "403 Forbidden" }, status: :forbidden) if level < Membership::DEVELOPER

    return render(json: { error: "ref is missing" }, status: :bad_request) if params[:ref].blank?

    result = PipelineCreation.new(project, current_user).execute(params[:ref].to_s)
    return render(json: { message: { base: [result.error] } }, status: :bad_request) if result.error

    render json: present(result.pipeline), status: :created
  end

  private

  def access_level(project)
    return 0 unless project && current_user && !current_user.blocked

    Authz.rbac.max_access_level(current_user.id, project.full_path).to_i
  end

  def present(pipeline)
    {
      id: pipeline.id, project_id: pipeline.project_id, ref: pipeline.ref, tag: pipeline.tag, sha: pipeline.sha,
      protected: pipeline.protected, source: pipeline.source, user: { id: pipeline.user_id },
      jobs: pipeline.builds.order(:id).map do |b|
        { id: b.id, name: b.name, stage: b.stage, environment: b.environment, status: b.status,
          failure_reason: b.failure_reason }.compact
      end
    }
  end
end
