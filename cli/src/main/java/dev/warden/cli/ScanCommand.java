package dev.warden.cli;

import dev.warden.detection.Detection;
import dev.warden.detection.RulePack;
import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.principal.Principal;
import dev.warden.storage.Database;
import dev.warden.usage.UsageException;
import dev.warden.usage.UsageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;

@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Run a rule pack over imported usage now and record each new hit as a finding in the ledger,",
                "with the rule's version and its aggregates as evidence. A rule flags a subject once; later scans",
                "add nothing for it. --open-cases attaches new findings to the customer's open case, or opens one.",
                "\"Now\" is the end of the imported usage unless --at says otherwise."})
final class ScanCommand implements Runnable {
    @Mixin
    StoreOptions store;

    @Option(names = "--pack", required = true, paramLabel = "<pack.yaml>", description = "The rule pack.")
    Path pack;

    @Option(names = "--at", paramLabel = "<date>", description = "Evaluate as if at this date or instant.")
    String at;

    @Option(names = "--open-cases", description = "Attach new findings to each customer's open case, opening one if none.")
    boolean openCases;

    @Override
    public void run() {
        RulePack p = RulesCommand.load(pack);
        try (UsageStore usage = RulesCommand.openStore(store); Database db = store.openDatabase();
             Journal journal = Journal.open(db, store.signerKey())) {
            Detection detection = new Detection(usage);
            Instant when = at != null ? RulesCommand.instant("--at", at) : detection.dataEnd()
                    .orElseThrow(() -> new UserException("the usage store is empty\nhint: warden usage import <files>"));
            Detection.ScanResult r = detection.scan(journal, Principal.SYSTEM, p, when,
                    openCases ? Detection.CaseAction.OPEN_OR_ATTACH : Detection.CaseAction.NONE);
            System.out.println("scan of " + p.name() + " " + p.version() + " at " + when + ": " + r.hits() + " hits, "
                    + r.recorded().size() + " new findings, " + r.alreadyFound() + " found before"
                    + (openCases ? ", " + r.casesOpened().size() + " cases opened, " + r.attached() + " findings attached" : ""));
            for (String id : r.recorded()) {
                System.out.println("  " + id);
            }
        } catch (Rejection | UsageException e) {
            throw new UserException(e.getMessage(), e);
        }
    }
}
