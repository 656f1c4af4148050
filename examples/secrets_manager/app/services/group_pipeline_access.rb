# frozen_string_literal: true

# A job's access to its group's secrets, as GitLab 19.4's group pipeline
# CEL role decides it (GroupSecretsManagers::PipelineHelper): the token must
# be a pipeline token of a project inside the group (`project_group_ids`
# holds the group's id), and it then gets
#   pipelines/combined/<level>/global (+ .../unprotected/global when protected)
#   pipelines/combined/<level>/env/<hex> (+ .../unprotected/env/<hex>)
# where <level> is `protected` when `ref_protected` is "true": a protected
# job reads the protected AND the unprotected group secrets. Which secrets
# that is comes from the gem's group model.
class GroupPipelineAccess
  Denied = Class.new(StandardError)

  def initialize(group, secrets = GroupAccess.group_secrets(group))
    @group = group
    @model = GroupAccess.for(group, secrets:).model
  end

  # Checks the claims with the CEL program's texts (Denied otherwise) and
  # returns the policy names.
  def policies(claims)
    authorize!(claims)
    level = claims["ref_protected"].to_s == "true" ? "protected" : "unprotected"
    env = claims["environment"].to_s
    names = ["pipelines/combined/#{level}/global"]
    names << "pipelines/combined/unprotected/global" if level == "protected"
    unless env.empty?
      names << "pipelines/combined/#{level}/env/#{env.unpack1('H*')}"
      names << "pipelines/combined/unprotected/env/#{env.unpack1('H*')}" if level == "protected"
    end
    names
  end

  # Sorted names of the group secrets this job may read.
  def readable(claims)
    authorize!(claims)
    @model.pipeline_secrets(claims)
  end

  private

  def authorize!(claims)
    ids = claims["project_group_ids"]
    raise Denied, "missing project_group_ids claim" if !ids.is_a?(Array) || ids.empty?
    raise Denied, "project does not belong to group" unless ids.any? { |id| id.to_s == @group.id.to_s }
  end
end
