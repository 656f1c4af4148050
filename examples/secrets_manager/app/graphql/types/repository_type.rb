# frozen_string_literal: true

module Types
  # A project's repository; here only its branch names (its `branch`
  # repository refs, the refs pipelines run for).
  class RepositoryType < BaseObject
    graphql_name "Repository"

    field :branch_names, [String], null: true,
                                   description: "Names of branches available in this repository that match the " \
                                                "search pattern." do
      argument :search_pattern, String, required: true, description: "Pattern to search for branch names by."
      argument :offset, Integer, required: true, description: "Number of branch names to skip."
      argument :limit, Integer, required: true, description: "Number of branch names to return."
    end

    # A glob, as GitLab matches branch names (`*` matches anything).
    def branch_names(search_pattern:, offset:, limit:)
      names = object.repository_refs.where(ref_type: "branch").order(:name).pluck(:name)
                    .select { |n| File.fnmatch?(search_pattern, n) }
      names.drop([offset, 0].max).first([limit, 0].max)
    end
  end
end
