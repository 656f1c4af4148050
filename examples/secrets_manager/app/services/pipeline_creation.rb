# frozen_string_literal: true

# Creates a pipeline for a ref the way GitLab's Ci::CreatePipelineService
# decides its facts: the ref is looked up in the repository (branch or tag,
# never both), protection comes from the protected branches or tags, each
# job's environment from its definition. The person asking only names the
# ref; everything else is the server's.
#
# Refusals carry GitLab's texts: "Reference not found", "Ref is ambiguous",
# "Insufficient permissions for protected ref '<ref>'". A job deploying to a
# protected environment the person may not deploy to is created failed
# (`protected_environment_failure`), so no runner ever receives it.
class PipelineCreation
  Result = Struct.new(:pipeline, :error, keyword_init: true)

  def initialize(project, user)
    @project = project
    @user = user
  end

  def execute(ref)
    ref = ref.to_s.delete_prefix("refs/heads/").delete_prefix("refs/tags/")
    found = RepositoryRef.where(project_id: @project.id, name: ref).to_a
    return error("Reference not found") if ref.empty? || found.empty?
    return error("Ref is ambiguous") if found.size > 1

    git_ref = found.first
    is_protected = protected_ref?(git_ref)
    return error("Insufficient permissions for protected ref '#{ref}'") if is_protected && !may_update?(git_ref)

    pipeline = Ci::Pipeline.transaction do
      Ci::Pipeline.create!(project: @project, user: @user, ref: git_ref.name, tag: git_ref.ref_type == "tag",
                           sha: git_ref.sha, protected: is_protected).tap { |p| create_builds(p) }
    end
    Result.new(pipeline:)
  end

  private

  def error(message) = Result.new(error: message)

  def access_level = Authz.rbac.max_access_level(@user.id, @project.full_path).to_i

  def rules_for(git_ref)
    model = git_ref.ref_type == "tag" ? ProtectedTag : ProtectedBranch
    model.where(project_id: @project.id).select { |rule| rule.matches?(git_ref.name) }
  end

  def protected_ref?(git_ref) = rules_for(git_ref).any?

  # Any matching rule that lets this person push, merge or create is enough.
  def may_update?(git_ref) = rules_for(git_ref).any? { |rule| rule.allows?(access_level) }

  def create_builds(pipeline)
    Ci::JobDefinition.where(project_id: @project.id).order(:id).each do |definition|
      environment = expand(definition.environment, pipeline.ref)
      build = pipeline.builds.create!(project: @project, user: @user, name: definition.name, stage: definition.stage,
                                      environment:, secrets: definition.secrets,
                                      yaml_variables: definition.yaml_variables)
      next if deploy_allowed?(environment)

      build.update!(status: "failed", failure_reason: "protected_environment_failure")
    end
  end

  def deploy_allowed?(environment)
    return true if environment.blank?

    ProtectedEnvironment.where(project_id: @project.id).select { |pe| pe.matches?(environment) }
                        .all? { |pe| pe.allows?(access_level) }
  end

  # The two predefined variables GitLab job definitions commonly put into
  # environment names.
  def expand(environment, ref)
    return nil if environment.blank?

    slug = ref.downcase.gsub(/[^a-z0-9]/, "-")[0, 63].gsub(/\A-+|-+\z/, "")
    environment.gsub(/\$\{?CI_COMMIT_REF_NAME\}?/, ref).gsub(/\$\{?CI_COMMIT_REF_SLUG\}?/, slug)
  end
end
